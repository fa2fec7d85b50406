package io.wimse4j.core.request;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wpt.VerifiedWpt;
import io.wimse4j.core.wpt.WptTransport;

import java.util.Set;

/**
 * The authenticated caller of a request: its workload identifier and trust domain (authorize on
 * both, ID-2), its verified WIT and proof, and which other tokens the proof bound. Only tokens
 * reported here as bound may feed authorization decisions (V-13). Only a
 * {@link RequestVerifier} can create one.
 */
public final class VerifiedCaller {
    private final VerifiedWit wit;
    private final VerifiedWpt proof;
    private final WptTransport transport;
    private final boolean accessTokenBound;
    private final boolean txnTokenBound;
    private final Set<String> boundHeaders;

    VerifiedCaller(VerifiedWit wit, VerifiedWpt proof, WptTransport transport, boolean accessTokenBound, boolean txnTokenBound,
                   Set<String> boundHeaders) {
        this.wit = wit;
        this.proof = proof;
        this.transport = transport;
        this.accessTokenBound = accessTokenBound;
        this.txnTokenBound = txnTokenBound;
        this.boundHeaders = Set.copyOf(boundHeaders);
    }

    /** The caller's workload identifier. */
    public WorkloadIdentifier workload() {
        return wit.subject();
    }

    /** The caller's trust domain. */
    public TrustDomain trustDomain() {
        return wit.trustDomain();
    }

    /** The caller's verified WIT. */
    public VerifiedWit wit() {
        return wit;
    }

    /** The caller's verified proof. */
    public VerifiedWpt proof() {
        return proof;
    }

    /** The transport the proof came in: {@code Workload-Proof-Token} (seed) or {@code Authorization: WPT} (wpt-02). */
    public WptTransport transport() {
        return transport;
    }

    /**
     * True when the request's access token is bound by {@code ath} (V-10); always false under
     * {@link WptTransport#AUTHORIZATION}, where no bearer token accompanies the proof (P2-3).
     */
    public boolean accessTokenBound() {
        return accessTokenBound;
    }

    /** True when the request's Txn-Token is bound by {@code tth} (V-11). */
    public boolean txnTokenBound() {
        return txnTokenBound;
    }

    /** Lower-case names of the headers bound by {@code oth} (V-12). */
    public Set<String> boundHeaders() {
        return boundHeaders;
    }

    @Override
    public String toString() {
        return "VerifiedCaller[" + workload() + "]";
    }
}
