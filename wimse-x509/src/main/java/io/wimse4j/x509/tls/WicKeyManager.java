package io.wimse4j.x509.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves the current Workload Identity Certificate in TLS handshakes, as client or as server, and
 * swaps in a renewed one without a restart (MT-7, KEY-4): {@link #update} makes the new key and chain
 * current for every later handshake, while a handshake that already chose the previous one still gets
 * that key and chain (each credential has its own alias, and the previous one stays resolvable). An
 * expired credential is never offered (KEY-3): without a current one the handshake proceeds without a
 * certificate and the peer refuses it. Thread-safe.
 */
public final class WicKeyManager extends X509ExtendedKeyManager {
    private static final String PREFIX = "wic-";

    /** One credential: its key and chain, under its alias. */
    private record Credential(String alias, PrivateKey key, X509Certificate[] chain) {
        boolean validAt(java.time.Instant now) {
            return now.isBefore(chain[0].getNotAfter().toInstant()) && !now.isBefore(chain[0].getNotBefore().toInstant());
        }
    }

    private final Clock clock;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Credential> current = new AtomicReference<>();
    /** The current and the previous credential, by alias. */
    private final Map<String, Credential> byAlias = new ConcurrentHashMap<>();

    /** A key manager without a credential yet; {@link #update} provides one. */
    public WicKeyManager(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A key manager serving {@code key} and {@code chain} (leaf first). */
    public static WicKeyManager of(PrivateKey key, List<X509Certificate> chain, Clock clock) {
        WicKeyManager m = new WicKeyManager(clock);
        m.update(key, chain);
        return m;
    }

    /**
     * Makes {@code key} and {@code chain} (leaf first) the credential of every later handshake.
     *
     * @throws IllegalArgumentException when the chain is empty or the key is not the leaf's
     */
    public void update(PrivateKey key, List<X509Certificate> chain) {
        Objects.requireNonNull(key, "key");
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain is required");
        }
        if (!key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("the private key (" + key.getAlgorithm() + ") is not the leaf's ("
                    + chain.get(0).getPublicKey().getAlgorithm() + ")");
        }
        Credential next = new Credential(PREFIX + generation.incrementAndGet(), key, chain.toArray(X509Certificate[]::new));
        byAlias.put(next.alias(), next);
        Credential previous = current.getAndSet(next);
        byAlias.keySet().removeIf(a -> !a.equals(next.alias()) && (previous == null || !a.equals(previous.alias())));
    }

    /** The leaf currently served, or null before the first {@link #update}. */
    public X509Certificate currentLeaf() {
        Credential c = current.get();
        return c == null ? null : c.chain()[0];
    }

    private String alias(String[] keyTypes) {
        Credential c = current.get();
        if (c == null || !c.validAt(clock.instant())) {
            return null; // never an expired credential (KEY-3)
        }
        if (keyTypes != null) {
            String alg = c.chain()[0].getPublicKey().getAlgorithm();
            boolean fits = false;
            for (String t : keyTypes) {
                fits |= t.equalsIgnoreCase(alg) || (alg.equals("EC") && t.startsWith("EC")) || (alg.equals("Ed25519") && t.equals("EdDSA"));
            }
            if (!fits) {
                return null;
            }
        }
        return c.alias();
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(new String[] {keyType});
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(new String[] {keyType});
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String a = alias(new String[] {keyType});
        return a == null ? null : new String[] {a};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Credential c = alias == null ? null : byAlias.get(alias);
        return c == null ? null : c.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Credential c = alias == null ? null : byAlias.get(alias);
        return c == null ? null : c.key();
    }
}
