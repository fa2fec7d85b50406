package io.wimse4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wimse wic verify}: validates a PEM certificate chain as a peer's Workload Identity Certificate
 * with {@link WicValidator} (WIC-1, WIC-2, MT-1, MT-3): one URI SAN, the anchors of the trust domain it
 * names, the EKU of the role, the validity and the path. Prints the identifier (exit 0) or
 * {@code REASON: detail} (exit 1) on standard output; {@code --json} an object instead.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validate a PEM certificate chain (leaf first) as a Workload Identity Certificate: one URI SAN, a path to",
                "the anchors of the trust domain it names (only those), the EKU of --role, the validity."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid; prints the workload identifier", "1:rejected; prints REASON: detail", "2:usage error"})
final class WicVerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "<trust-domain>=<ca.pem>",
            description = "Trust the CA certificate(s) in <ca.pem> for <trust-domain> (and for it only). Repeatable.")
    private List<String> trust = new ArrayList<>();

    @Option(names = "--chain", required = true, paramLabel = "<pem-file|->", description = "The chain to validate, leaf first; '-' reads standard input.")
    private String chain;

    @Option(names = "--role", paramLabel = "client|server", defaultValue = "client",
            description = "The peer's role: 'client' requires EKU clientAuth, 'server' serverAuth (MT-3; default ${DEFAULT-VALUE}).")
    private String role;

    @Option(names = "--now", paramLabel = "<epoch-seconds>", description = "Validate as of this instant instead of the current time.")
    private Long now;

    @Option(names = "--json", description = "Print the result as a JSON object.")
    private boolean json;

    @Override
    public Integer call() {
        java.io.InputStream stdin = ((WimseCli) spec.root().userObject()).stdin();
        WicValidator.Builder b = WicValidator.builder().trust(X509Inputs.trust(trust, "--trust", stdin));
        switch (role.toLowerCase(Locale.ROOT)) {
            case "client" -> b.forClients();
            case "server" -> b.forServers();
            default -> throw CliException.usage("--role must be 'client' or 'server', got '" + role + "'");
        }
        if (now != null) {
            b.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        }
        List<X509Certificate> certificates = X509Inputs.chain(chain, stdin, "certificate chain");
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode o = StrictJson.mapper().createObjectNode();
        try {
            VerifiedWic wic = b.build().validate(certificates);
            o.put("valid", true);
            o.put("workload", wic.identifier().value());
            o.put("trust_domain", wic.trustDomain().name());
            wic.dnsNames().forEach(o.putArray("dns_names")::add);
            o.put("not_after", wic.notAfter().getEpochSecond());
            out.println(json ? o.toString() : wic.identifier().value());
            out.flush();
            return WimseCli.OK;
        } catch (WimseException e) {
            o.put("valid", false);
            o.put("reason", e.reason().name());
            o.put("code", e.reason().code());
            o.put("detail", e.detail());
            out.println(json ? o.toString() : e.reason().name() + ": " + e.detail());
            out.flush();
            return WimseCli.REJECTED;
        }
    }
}
