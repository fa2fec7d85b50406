package io.wimse4j.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.cli.WimseCli;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static io.wimse4j.deploy.Manifests.arg;
import static io.wimse4j.deploy.Manifests.container;

/**
 * K_14: the agent sidecar's {@code args} are a command line the real {@code wimse} program accepts (every
 * flag exists, every value parses), so the manifests cannot drift from the CLI; and with {@code httpGet}
 * probes, which come from the kubelet and not from the pod's loopback, its health endpoint is not bound
 * to loopback only.
 */
final class AgentArgsCheck {
    private AgentArgsCheck() {
    }

    static List<String> violations(Manifests m) {
        List<String> v = new ArrayList<>();
        JsonNode agent = container(m.get("Deployment", "orders"), "wimse-agent");
        List<String> args = new ArrayList<>();
        agent.path("args").forEach(a -> args.add(a.asText()));
        CommandLine cli = WimseCli.commandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            v.add("wimse refuses the agent's args: " + e.getMessage());
        }
        if (agent.path("livenessProbe").has("httpGet") || agent.path("readinessProbe").has("httpGet")) {
            String bind = arg(agent, "--health-bind").orElse("127.0.0.1");
            try {
                if (InetAddress.getByName(bind).isLoopbackAddress()) {
                    v.add("agent --health-bind " + bind + " is loopback: the kubelet's httpGet probes cannot reach it");
                }
            } catch (UnknownHostException e) {
                v.add("agent --health-bind " + bind + " is not an address");
            }
        }
        return v;
    }
}
