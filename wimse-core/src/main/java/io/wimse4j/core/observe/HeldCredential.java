package io.wimse4j.core.observe;

import java.util.Locale;

/**
 * A credential a calling workload holds and renews, as {@link WimseObserver} reports its renewals
 * and metrics tag them ({@code credential}): the WIT (WIT-1..WIT-12, renewed with a fresh key, KEY-4)
 * or the WIC (WIC-1..WIC-6).
 */
public enum HeldCredential {
    /** The Workload Identity Token ({@code wit+jwt}) and its key. */
    WIT,
    /** The Workload Identity Certificate (X.509, one URI SAN) and its key. */
    WIC;

    /** The tag value: {@code wit} or {@code wic}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
