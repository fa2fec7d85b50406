package io.wimse4j.core.request;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Hashes;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The checks of what a WPT binds besides the WIT: {@code ath}, {@code tth} (V-10, V-11) and {@code oth} (V-12, V-13). */
final class Bindings {
    private Bindings() {
    }

    /**
     * Checks hash claim {@code claimed} against the token {@code presented} (null when the request
     * carries none); true when the token is bound.
     */
    static boolean check(Optional<String> claimed, String presented, Reason missing, Reason mismatch,
                         String what, String claim) throws WimseException {
        if (presented == null) {
            if (claimed.isPresent()) {
                throw new WimseException(mismatch, "WPT '" + claim + "' binds a " + what + " the request does not carry");
            }
            return false;
        }
        if (claimed.isEmpty()) {
            throw new WimseException(missing, "the request carries a " + what + " but the WPT has no '" + claim + "'");
        }
        if (!Hashes.hashEquals(claimed.get(), Hashes.tokenHash(presented))) {
            throw new WimseException(mismatch, "WPT '" + claim + "' does not match the presented " + what);
        }
        return true;
    }

    /** Checks every {@code oth} entry against its header under {@code policy}; the names of the bound headers. */
    static Set<String> otherTokens(OthPolicy policy, Map<String, String> oth, HttpRequestFacts facts) throws WimseException {
        if (oth.isEmpty() && policy.rules().isEmpty()) {
            return Set.of();
        }
        Set<String> bound = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : oth.entrySet()) {
            String name = e.getKey();
            OthPolicy.Rule rule = policy.rule(name).orElseThrow(() ->
                    new WimseException(Reason.OTH_UNKNOWN_ENTRY, "WPT 'oth' entry '" + truncate(name) + "' is not understood (V-13)"));
            List<String> values = facts.values(name);
            if (values.isEmpty()) {
                throw new WimseException(Reason.OTH_MISMATCH, "WPT 'oth' binds header '" + name + "' which the request does not carry");
            }
            if (values.size() > 1 && !rule.allowRepeated()) {
                throw new WimseException(Reason.REPEATED_HEADER, "header '" + name + "' bound by 'oth' is repeated");
            }
            String value = String.join(", ", values).trim();
            if (!Hashes.hashEquals(e.getValue(), Hashes.tokenHash(value))) {
                throw new WimseException(Reason.OTH_MISMATCH, "WPT 'oth' entry '" + name + "' does not match its header");
            }
            bound.add(name);
        }
        for (Map.Entry<String, OthPolicy.Rule> r : policy.rules().entrySet()) {
            if (r.getValue().requiredWhenPresent() && !bound.contains(r.getKey()) && !facts.values(r.getKey()).isEmpty()) {
                throw new WimseException(Reason.OTH_MISSING, "header '" + r.getKey() + "' must be bound by the WPT's 'oth'");
            }
        }
        return bound;
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
