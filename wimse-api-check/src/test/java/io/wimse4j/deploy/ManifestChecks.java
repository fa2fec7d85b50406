package io.wimse4j.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.server.ConfigLoader;
import io.wimse4j.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.wimse4j.deploy.Manifests.arg;
import static io.wimse4j.deploy.Manifests.container;
import static io.wimse4j.deploy.Manifests.containers;
import static io.wimse4j.deploy.Manifests.id;
import static io.wimse4j.deploy.Manifests.mount;
import static io.wimse4j.deploy.Manifests.name;
import static io.wimse4j.deploy.Manifests.podSpec;
import static io.wimse4j.deploy.Manifests.volume;

/**
 * The reference checks over {@code deploy/kubernetes}: each row names what it checks and returns its
 * violations (empty when the manifests agree). {@link KubernetesManifestsTest} runs each row on the
 * manifests as committed, and breaks one reference at a time to show the row that must catch it does.
 */
final class ManifestChecks {
    static final String NAMESPACE = "wimse";
    static final String SERVER = "wimse-server";
    static final String WORKLOAD = "orders";
    static final String AGENT = "wimse-agent";
    static final String APP = "app";

    /** One row: an id, what it checks, and the check. */
    record Check(String id, String what, Function<Manifests, List<String>> violations) {
        @Override
        public String toString() {
            return id + " " + what;
        }
    }

    private ManifestChecks() {
    }

    static List<Check> all() {
        return List.of(
                new Check("K_1", "every object is named and in the wimse namespace", ManifestChecks::namespaced),
                new Check("K_2", "each workload's selector matches its pod template labels", ManifestChecks::selectors),
                new Check("K_3", "each Service selects a workload and targets a declared containerPort", ManifestChecks::services),
                new Check("K_4", "each volumeMount names a declared volume, and each volume is mounted", ManifestChecks::volumes),
                new Check("K_5", "referenced ConfigMaps, ServiceAccounts and the governing Service exist", ManifestChecks::references),
                new Check("K_6", "each probe's port is a containerPort of its container", ManifestChecks::probePorts),
                new Check("K_7", "server probes: readiness /readyz, liveness /healthz, over HTTPS", ManifestChecks::serverProbes),
                new Check("K_8", "every container: non-root, read-only root, no escalation, drops ALL", ManifestChecks::securityContexts),
                new Check("K_9", "every container has CPU and memory requests and limits", ManifestChecks::resources),
                new Check("K_10", "server.properties loads, and its port, state-dir and JWKS file match the StatefulSet", ManifestChecks::serverConfig),
                new Check("K_11", "the projected token's audience is the server's kubernetes-audience", ManifestChecks::tokenAudience),
                new Check("K_12", "the agent writes into the shared emptyDir the app reads read-only", ManifestChecks::sharedCredentials),
                new Check("K_13", "the agent reaches the server's Service, token file, CA file and health port", ManifestChecks::agentWiring),
                new Check("K_14", "the agent's args parse with the real wimse CLI, its health endpoint reachable by httpGet probes",
                        AgentArgsCheck::violations));
    }

    static List<String> namespaced(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode o : m.objects()) {
            if (o.path("apiVersion").asText().isEmpty() || name(o).isEmpty()) {
                v.add(o.path("x-file").asText() + ": an object without apiVersion or metadata.name");
            } else if (!o.path("kind").asText().equals("Namespace")
                    && !NAMESPACE.equals(o.path("metadata").path("namespace").asText())) {
                v.add(id(o) + " is not in namespace " + NAMESPACE);
            }
        }
        return v;
    }

    static List<String> selectors(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode w : m.workloads()) {
            JsonNode match = w.path("spec").path("selector").path("matchLabels");
            if (match.isEmpty()) {
                v.add(id(w) + " has no selector.matchLabels");
            }
            if (!labelsMatch(match, w.path("spec").path("template").path("metadata").path("labels"))) {
                v.add(id(w) + " selector " + match + " does not match its template labels");
            }
        }
        return v;
    }

    static List<String> services(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode s : m.ofKind("Service")) {
            List<JsonNode> selected = m.workloads().stream()
                    .filter(w -> labelsMatch(s.path("spec").path("selector"), w.path("spec").path("template").path("metadata").path("labels")))
                    .map(JsonNode.class::cast).toList();
            if (selected.isEmpty()) {
                v.add(id(s) + " selects no workload");
            }
            for (JsonNode p : s.path("spec").path("ports")) {
                for (JsonNode w : selected) {
                    if (containers(w).stream().noneMatch(c -> hasPort(c, p.path("targetPort")))) {
                        v.add(id(s) + " targetPort " + p.path("targetPort").asText() + " is no containerPort of " + id(w));
                    }
                }
            }
        }
        return v;
    }

    static List<String> volumes(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode w : m.workloads()) {
            Set<String> declared = new HashSet<>();
            podSpec(w).path("volumes").forEach(x -> declared.add(x.path("name").asText()));
            w.path("spec").path("volumeClaimTemplates").forEach(x -> declared.add(x.path("metadata").path("name").asText()));
            Set<String> mounted = new HashSet<>();
            for (JsonNode c : containers(w)) {
                for (JsonNode mnt : c.path("volumeMounts")) {
                    String n = mnt.path("name").asText();
                    mounted.add(n);
                    if (!declared.contains(n)) {
                        v.add(id(w) + " container " + c.path("name").asText() + " mounts undeclared volume " + n);
                    }
                }
            }
            declared.stream().filter(n -> !mounted.contains(n)).sorted()
                    .forEach(n -> v.add(id(w) + " declares volume " + n + " that no container mounts"));
        }
        return v;
    }

    static List<String> references(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode w : m.workloads()) {
            for (JsonNode vol : podSpec(w).path("volumes")) {
                String cm = vol.path("configMap").path("name").asText();
                if (!cm.isEmpty() && m.find("ConfigMap", cm).isEmpty()) {
                    v.add(id(w) + " volume " + vol.path("name").asText() + " refers to missing ConfigMap " + cm);
                }
            }
            String sa = podSpec(w).path("serviceAccountName").asText();
            if (sa.isEmpty() || m.find("ServiceAccount", sa).isEmpty()) {
                v.add(id(w) + " runs as missing ServiceAccount '" + sa + "'");
            }
            if (w.path("kind").asText().equals("StatefulSet")) {
                String svc = w.path("spec").path("serviceName").asText();
                if (m.find("Service", svc).isEmpty()) {
                    v.add(id(w) + " serviceName refers to missing Service '" + svc + "'");
                }
            }
        }
        return v;
    }

    static List<String> probePorts(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode w : m.workloads()) {
            for (JsonNode c : containers(w)) {
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode get = c.path(probe).path("httpGet");
                    if (get.isMissingNode()) {
                        v.add(id(w) + " container " + c.path("name").asText() + " has no " + probe);
                    } else if (!hasPort(c, get.path("port"))) {
                        v.add(id(w) + " container " + c.path("name").asText() + " " + probe + " port "
                                + get.path("port").asText() + " is no containerPort");
                    }
                }
            }
        }
        return v;
    }

    static List<String> serverProbes(Manifests m) {
        List<String> v = new ArrayList<>();
        JsonNode c = container(m.get("StatefulSet", SERVER), SERVER);
        expect(v, "readinessProbe path", c.path("readinessProbe").path("httpGet").path("path").asText(), "/readyz");
        expect(v, "livenessProbe path", c.path("livenessProbe").path("httpGet").path("path").asText(), "/healthz");
        expect(v, "readinessProbe scheme", c.path("readinessProbe").path("httpGet").path("scheme").asText(), "HTTPS");
        expect(v, "livenessProbe scheme", c.path("livenessProbe").path("httpGet").path("scheme").asText(), "HTTPS");
        return v;
    }

    static List<String> securityContexts(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode w : m.workloads()) {
            boolean podNonRoot = podSpec(w).path("securityContext").path("runAsNonRoot").asBoolean(false);
            for (JsonNode c : containers(w)) {
                String where = id(w) + " container " + c.path("name").asText();
                JsonNode sc = c.path("securityContext");
                if (!(podNonRoot || sc.path("runAsNonRoot").asBoolean(false)) || sc.path("runAsNonRoot").asText().equals("false")) {
                    v.add(where + " may run as root (runAsNonRoot not true)");
                }
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    v.add(where + " has a writable root filesystem");
                }
                if (!sc.path("allowPrivilegeEscalation").isBoolean() || sc.path("allowPrivilegeEscalation").asBoolean()) {
                    v.add(where + " allows privilege escalation");
                }
                if (sc.path("privileged").asBoolean(false)) {
                    v.add(where + " is privileged");
                }
                List<String> drop = new ArrayList<>();
                sc.path("capabilities").path("drop").forEach(d -> drop.add(d.asText()));
                if (!drop.contains("ALL")) {
                    v.add(where + " does not drop ALL capabilities");
                }
                if (!sc.path("capabilities").path("add").isEmpty()) {
                    v.add(where + " adds capabilities " + sc.path("capabilities").path("add"));
                }
            }
        }
        return v;
    }

    static List<String> resources(Manifests m) {
        List<String> v = new ArrayList<>();
        for (JsonNode w : m.workloads()) {
            for (JsonNode c : containers(w)) {
                for (String kind : List.of("requests", "limits")) {
                    for (String r : List.of("cpu", "memory")) {
                        if (c.path("resources").path(kind).path(r).asText().isEmpty()) {
                            v.add(id(w) + " container " + c.path("name").asText() + " has no " + r + " " + kind);
                        }
                    }
                }
            }
        }
        return v;
    }

    static List<String> serverConfig(Manifests m) {
        List<String> v = new ArrayList<>();
        ServerConfig cfg;
        try {
            cfg = serverConfigOf(m);
        } catch (IllegalArgumentException e) {
            return List.of("server.properties is refused by ConfigLoader: " + e.getMessage());
        }
        JsonNode sts = m.get("StatefulSet", SERVER);
        JsonNode c = container(sts, SERVER);
        if (!hasPort(c, new com.fasterxml.jackson.databind.node.IntNode(cfg.port()))) {
            v.add("server.properties port " + cfg.port() + " is no containerPort of the server");
        }
        if (!List.of("0.0.0.0", "::").contains(cfg.bind())) {
            v.add("server.properties bind " + cfg.bind() + " is unreachable from the Service");
        }
        expect(v, "state-dir mount", mount(c, "state").path("mountPath").asText(), cfg.stateDir().toString());
        Path jwks = cfg.kubernetes().flatMap(ServerConfig.KubernetesSettings::jwksFile).orElse(Path.of("(none)"));
        String jwksMount = mount(c, "cluster-jwks").path("mountPath").asText();
        String cm = volume(sts, "cluster-jwks").path("configMap").path("name").asText();
        if (jwksMount.isEmpty() || !jwks.startsWith(jwksMount)) {
            v.add("kubernetes-jwks-file " + jwks + " is not under the cluster-jwks mount '" + jwksMount + "'");
        } else if (m.find("ConfigMap", cm).map(o -> o.path("data").path(jwks.getFileName().toString()).isMissingNode()).orElse(true)) {
            v.add("ConfigMap " + cm + " has no key " + jwks.getFileName());
        }
        return v;
    }

    static List<String> tokenAudience(Manifests m) {
        List<String> v = new ArrayList<>();
        String accepted;
        try {
            accepted = serverConfigOf(m).kubernetes().map(ServerConfig.KubernetesSettings::audience).orElse("(none)");
        } catch (IllegalArgumentException e) {
            return List.of("server.properties is refused by ConfigLoader: " + e.getMessage());
        }
        JsonNode w = m.get("Deployment", WORKLOAD);
        JsonNode token = volume(w, "wimse-token").path("projected").path("sources").path(0).path("serviceAccountToken");
        expect(v, "projected token audience", token.path("audience").asText(), accepted);
        if (token.path("expirationSeconds").asInt(0) < 600) {
            v.add("projected token expirationSeconds " + token.path("expirationSeconds").asText() + " is below Kubernetes' minimum of 600");
        }
        return v;
    }

    static List<String> sharedCredentials(Manifests m) {
        List<String> v = new ArrayList<>();
        JsonNode w = m.get("Deployment", WORKLOAD);
        JsonNode shared = volume(w, "wimse-credentials");
        if (!shared.has("emptyDir")) {
            v.add("volume wimse-credentials is not an emptyDir");
        }
        JsonNode agentMount = mount(container(w, AGENT), "wimse-credentials");
        JsonNode appMount = mount(container(w, APP), "wimse-credentials");
        if (agentMount.isMissingNode() || agentMount.path("readOnly").asBoolean(false)) {
            v.add("the agent does not mount wimse-credentials writable");
        }
        if (appMount.isMissingNode() || !appMount.path("readOnly").asBoolean(false)) {
            v.add("the app does not mount wimse-credentials read-only");
        }
        Map<String, String> env = new java.util.HashMap<>();
        container(w, APP).path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        for (String[] pair : new String[][] {{"--wit-file", "WIMSE_WIT_FILE"}, {"--key-file", "WIMSE_WIT_KEY_FILE"}}) {
            String written = arg(container(w, AGENT), pair[0]).orElse("(absent)");
            if (!written.startsWith(agentMount.path("mountPath").asText() + "/")) {
                v.add("agent " + pair[0] + " " + written + " is not in the shared volume");
            }
            String read = env.getOrDefault(pair[1], "(absent)");
            if (!read.equals(written.replaceFirst("^" + agentMount.path("mountPath").asText(), appMount.path("mountPath").asText()))) {
                v.add("app " + pair[1] + " " + read + " is not the file the agent writes (" + written + ")");
            }
        }
        return v;
    }

    static List<String> agentWiring(Manifests m) {
        List<String> v = new ArrayList<>();
        JsonNode w = m.get("Deployment", WORKLOAD);
        JsonNode agent = container(w, AGENT);
        if (!"agent".equals(agent.path("args").path(0).asText())) {
            v.add("the sidecar does not run `wimse agent`");
        }
        URI server = URI.create(arg(agent, "--server").orElse("missing:/"));
        JsonNode svc = m.get("Service", SERVER);
        String host = SERVER + "." + NAMESPACE + ".svc";
        if (!"https".equals(server.getScheme()) || !(server.getHost().equals(host) || server.getHost().equals(host + ".cluster.local"))) {
            v.add("agent --server " + server + " is not https://" + host);
        }
        if (svc.path("spec").path("ports").findValuesAsText("port").stream().noneMatch(p -> p.equals(String.valueOf(server.getPort())))) {
            v.add("agent --server port " + server.getPort() + " is no port of Service " + SERVER);
        }
        JsonNode token = volume(w, "wimse-token").path("projected").path("sources").path(0).path("serviceAccountToken");
        expect(v, "agent --k8s-token-file", arg(agent, "--k8s-token-file").orElse("(absent)"),
                mount(agent, "wimse-token").path("mountPath").asText() + "/" + token.path("path").asText());
        String ca = arg(agent, "--server-ca").orElse("(absent)");
        String caMount = mount(agent, "server-ca").path("mountPath").asText();
        String caMap = volume(w, "server-ca").path("configMap").path("name").asText();
        if (caMount.isEmpty() || !ca.startsWith(caMount + "/")) {
            v.add("agent --server-ca " + ca + " is not under the server-ca mount");
        } else if (m.find("ConfigMap", caMap).map(o -> !o.path("data").has(ca.substring(caMount.length() + 1))).orElse(true)) {
            v.add("ConfigMap " + caMap + " has no key " + ca.substring(caMount.length() + 1));
        }
        String health = arg(agent, "--health-port").orElse("(absent)");
        if (!hasPort(agent, new com.fasterxml.jackson.databind.node.TextNode(health))
                || !portNumber(agent, agent.path("livenessProbe").path("httpGet").path("port")).equals(health)) {
            v.add("agent --health-port " + health + " is not the containerPort its probes use");
        }
        return v;
    }

    /** The server's settings as {@code wimse server --config} would read them (ConfigLoader refuses unknown keys). */
    static ServerConfig serverConfigOf(Manifests m) {
        String text = m.get("ConfigMap", "wimse-server-config").path("data").path("server.properties").asText();
        try {
            Path f = Files.createTempFile("server", ".properties");
            try {
                Files.writeString(f, text);
                return ConfigLoader.load(f, Map.of(), Map.of());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace(f.toString(), "server.properties"), e);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code port} (a name or a number) is one of the container's ports. */
    private static boolean hasPort(JsonNode container, JsonNode port) {
        return !portNumber(container, port).isEmpty();
    }

    /** The number of containerPort {@code port} (a name or a number), or "" when the container has none. */
    private static String portNumber(JsonNode container, JsonNode port) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText()) || p.path("containerPort").asText().equals(port.asText())) {
                return p.path("containerPort").asText();
            }
        }
        return "";
    }

    private static void expect(List<String> v, String what, String actual, String expected) {
        if (!expected.equals(actual)) {
            v.add(what + " is '" + actual + "', expected '" + expected + "'");
        }
    }
}
