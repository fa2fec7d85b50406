package io.wimse4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.StrictJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wimse inspect}: decodes a WIT or WPT <em>without verifying it</em> and prints its header,
 * claims, kind and times in human form. Nothing printed here may be trusted.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode a WIT or WPT WITHOUT verifying it: header, claims, kind and times.",
                "The signature is not checked; use 'wimse verify' to authenticate a request."})
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<token|->", description = "The compact token, @file, or '-' for standard input.")
    private String token;

    @Option(names = "--now", paramLabel = "<epoch-seconds>", description = "Show relative times as of this instant.")
    private Long now;

    @Override
    public Integer call() {
        String value = Inputs.token(token, ((WimseCli) spec.root().userObject()).stdin(), "token");
        CompactJws jws;
        try {
            jws = CompactJws.parse(value, CompactJws.DEFAULT_MAX_TOKEN_LENGTH);
        } catch (WimseException e) {
            throw CliException.rejected(e);
        }
        Instant reference = now != null ? Instant.ofEpochSecond(now) : Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        out.println("NOT VERIFIED: decoded only; the signature, issuer and claims have not been checked.");
        out.println("Kind: " + kind(jws.header()));
        out.println();
        out.println("Header:");
        out.println(pretty(jws.header()));
        out.println();
        out.println("Claims:");
        out.println(pretty(jws.payload()));
        out.println();
        out.println("Times:");
        boolean any = false;
        for (String claim : new String[] {"iat", "nbf", "exp"}) {
            JsonNode n = jws.payload().get(claim);
            if (n != null) {
                out.println("  " + claim + ": " + time(n, reference));
                any = true;
            }
        }
        if (!any) {
            out.println("  (no iat, nbf or exp claim)");
        }
        out.println();
        out.println("NOT VERIFIED: do not trust any of the above.");
        out.flush();
        return WimseCli.OK;
    }

    /** What kind of token the header's {@code typ} says this is. */
    static String kind(ObjectNode header) {
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual()) {
            return "unknown (no 'typ' header)";
        }
        String t = typ.textValue().toLowerCase(Locale.ROOT);
        if (t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        return switch (t) {
            case "wit+jwt" -> "Workload Identity Token (WIT, typ wit+jwt)";
            case "wpt+jwt" -> "Workload Proof Token (WPT, typ wpt+jwt)";
            default -> "unknown (typ '" + printable(typ.textValue()) + "')";
        };
    }

    private static String time(JsonNode n, Instant reference) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            return "not an integer NumericDate: " + printable(n.toString());
        }
        long s = n.longValue();
        if (s < Instant.MIN.getEpochSecond() || s > Instant.MAX.getEpochSecond()) {
            return s + " (out of range)";
        }
        Instant t = Instant.ofEpochSecond(s);
        return s + " = " + t + " (" + relative(Duration.between(reference, t)) + ")";
    }

    /** A duration relative to now, e.g. {@code in 5m 3s} or {@code 2h 1m ago}. */
    static String relative(Duration d) {
        if (d.isZero()) {
            return "now";
        }
        Duration abs = d.abs();
        StringBuilder sb = new StringBuilder();
        long days = abs.toDays();
        if (days > 0) {
            sb.append(days).append("d ");
        }
        if (abs.toHoursPart() > 0) {
            sb.append(abs.toHoursPart()).append("h ");
        }
        if (abs.toMinutesPart() > 0 && days < 10) {
            sb.append(abs.toMinutesPart()).append("m ");
        }
        if (abs.toSecondsPart() > 0 && days == 0) {
            sb.append(abs.toSecondsPart()).append("s ");
        }
        String text = sb.toString().strip();
        if (text.isEmpty()) {
            text = days + "d";
        }
        return d.isNegative() ? text + " ago" : "in " + text;
    }

    private static String pretty(JsonNode node) {
        try {
            return StrictJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 64 ? sb + "…" : sb.toString();
    }
}
