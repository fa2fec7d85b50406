package io.wimse4j.cli;

import io.wimse4j.core.wpt.WptTransport;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code --transport} option of the commands: {@code authorization} ({@code Authorization: WPT},
 * wpt-02, P2-1), {@code workload-proof-token} (the seed drafts' header, WPT-1) and, where a receiver
 * decides, {@code both}.
 */
final class TransportOption {
    private TransportOption() {
    }

    /** The one transport named by {@code value}. */
    static WptTransport one(String value, String option) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "authorization" -> WptTransport.AUTHORIZATION;
            case "workload-proof-token" -> WptTransport.WORKLOAD_PROOF_TOKEN;
            default -> throw CliException.usage(option + " must be 'authorization' or 'workload-proof-token', got '" + value + "'");
        };
    }

    /** The transports a receiver accepts: {@code both} or one of them. */
    static Set<WptTransport> accepted(String value, String option) {
        if (value.equalsIgnoreCase("both")) {
            return EnumSet.allOf(WptTransport.class);
        }
        try {
            return EnumSet.of(one(value, option));
        } catch (CliException e) {
            throw CliException.usage(option + " must be 'both', 'authorization' or 'workload-proof-token', got '" + value + "'");
        }
    }

    /** The wire name of {@code transport}, as the option spells it. */
    static String name(WptTransport transport) {
        return transport == WptTransport.AUTHORIZATION ? "authorization" : "workload-proof-token";
    }
}
