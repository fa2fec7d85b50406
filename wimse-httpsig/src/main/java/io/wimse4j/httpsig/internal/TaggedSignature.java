package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.httpsig.HttpSignatures;
import io.wimse4j.httpsig.sfv.BareItem;
import io.wimse4j.httpsig.sfv.InnerList;
import io.wimse4j.httpsig.sfv.Item;
import io.wimse4j.httpsig.sfv.Member;
import io.wimse4j.httpsig.sfv.SfBoolean;
import io.wimse4j.httpsig.sfv.SfByteSequence;
import io.wimse4j.httpsig.sfv.SfDictionary;
import io.wimse4j.httpsig.sfv.SfInteger;
import io.wimse4j.httpsig.sfv.SfString;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one signature of a message tagged {@value HttpSignatures#TAG} (HS-2), read from its
 * {@code Signature-Input} and {@code Signature} fields, with its parameters checked for type and
 * presence (HS-1, HS-4). Selection is by tag, never by label; two tagged signatures are refused.
 * Not part of the API.
 *
 * @param label     the dictionary key both fields use
 * @param input     the covered components and the signature parameters
 * @param signature the signature bytes
 * @param created   {@code created}
 * @param expires   {@code expires}
 * @param nonce     {@code nonce}
 * @param audience  {@code wimse-aud}, when present
 * @param signResponse {@code wimse-sign-response}, false when absent
 * @param requestNonce {@code wimse-req-nonce}, when present
 */
public record TaggedSignature(String label, InnerList input, byte[] signature, Instant created, Instant expires,
                              String nonce, Optional<String> audience, boolean signResponse,
                              Optional<String> requestNonce) {
    /** Longest {@code nonce} accepted, in characters: room for it in a {@link ReplayKey}. */
    public static final int MAX_NONCE_LENGTH = 128;

    /**
     * The tagged signature of a message with these field lines, or empty when no signature carries the tag.
     *
     * @throws WimseException {@link Reason#MALFORMED_SIGNATURE}, {@link Reason#AMBIGUOUS_SIGNATURE},
     *                        {@link Reason#FORBIDDEN_SIGNATURE_PARAMETER} or {@link Reason#MISSING_SIGNATURE_PARAMETER}
     */
    public static Optional<TaggedSignature> find(List<String> inputLines, List<String> signatureLines) throws WimseException {
        if (inputLines.isEmpty()) {
            return Optional.empty();
        }
        SfDictionary inputs = dictionary(HttpSignatures.SIGNATURE_INPUT, inputLines);
        List<String> tagged = new ArrayList<>(1);
        for (Map.Entry<String, Member> e : inputs.asMap().entrySet()) {
            if (!(e.getValue() instanceof InnerList list)) {
                throw SignatureBase.malformed("'Signature-Input' member '" + e.getKey() + "' is not an inner list");
            }
            Optional<BareItem> tag = list.parameters().get(HttpSignatures.TAG_PARAMETER);
            if (tag.isPresent() && tag.get() instanceof SfString s && s.value().equals(HttpSignatures.TAG)) {
                tagged.add(e.getKey());
            }
        }
        if (tagged.isEmpty()) {
            return Optional.empty();
        }
        if (tagged.size() > 1) {
            throw new WimseException(Reason.AMBIGUOUS_SIGNATURE, "the message carries " + tagged.size()
                    + " signatures tagged '" + HttpSignatures.TAG + "' (HS-2)");
        }
        String label = tagged.get(0);
        InnerList input = (InnerList) inputs.get(label).orElseThrow();
        if (signatureLines.isEmpty()) {
            throw SignatureBase.malformed("the message has 'Signature-Input' but no 'Signature'");
        }
        SfDictionary signatures = dictionary(HttpSignatures.SIGNATURE, signatureLines);
        Optional<Member> value = signatures.get(label);
        if (value.isEmpty() || !(value.get() instanceof Item item) || !(item.value() instanceof SfByteSequence bytes)) {
            throw SignatureBase.malformed("'Signature' has no byte sequence for label '" + label + "'");
        }
        for (Item component : input.items()) {
            if (!(component.value() instanceof SfString)) {
                throw SignatureBase.malformed("a covered component identifier must be a string");
            }
        }
        return Optional.of(read(label, input, bytes.bytes()));
    }

    private static TaggedSignature read(String label, InnerList input, byte[] signature) throws WimseException {
        var p = input.parameters();
        if (p.containsKey(HttpSignatures.KEYID) || p.containsKey(HttpSignatures.ALG)) {
            throw new WimseException(Reason.FORBIDDEN_SIGNATURE_PARAMETER, "signature parameter '"
                    + (p.containsKey(HttpSignatures.KEYID) ? HttpSignatures.KEYID : HttpSignatures.ALG)
                    + "' must not be used: the WIT names the key and its algorithm (HS-1)");
        }
        long created = integer(p.get(HttpSignatures.CREATED), HttpSignatures.CREATED);
        long expires = integer(p.get(HttpSignatures.EXPIRES), HttpSignatures.EXPIRES);
        String nonce = string(p.get(HttpSignatures.NONCE), HttpSignatures.NONCE)
                .orElseThrow(() -> missing(HttpSignatures.NONCE));
        if (nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
            throw SignatureBase.malformed("signature parameter 'nonce' must have 1 to " + MAX_NONCE_LENGTH + " characters");
        }
        Optional<String> audience = string(p.get(HttpSignatures.WIMSE_AUD), HttpSignatures.WIMSE_AUD);
        Optional<String> requestNonce = string(p.get(HttpSignatures.WIMSE_REQ_NONCE), HttpSignatures.WIMSE_REQ_NONCE);
        Optional<BareItem> sign = p.get(HttpSignatures.WIMSE_SIGN_RESPONSE);
        if (sign.isPresent() && !(sign.get() instanceof SfBoolean)) {
            throw SignatureBase.malformed("signature parameter 'wimse-sign-response' must be a Boolean");
        }
        boolean signResponse = sign.isPresent() && ((SfBoolean) sign.get()).value();
        return new TaggedSignature(label, input, signature, Instant.ofEpochSecond(created), Instant.ofEpochSecond(expires),
                nonce, audience, signResponse, requestNonce);
    }

    private static long integer(Optional<BareItem> value, String name) throws WimseException {
        if (value.isEmpty()) {
            throw missing(name);
        }
        if (!(value.get() instanceof SfInteger i) || i.value() < 0) {
            throw SignatureBase.malformed("signature parameter '" + name + "' must be a non-negative Integer");
        }
        return i.value();
    }

    private static Optional<String> string(Optional<BareItem> value, String name) throws WimseException {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof SfString s)) {
            throw SignatureBase.malformed("signature parameter '" + name + "' must be a String");
        }
        return Optional.of(s.value());
    }

    private static WimseException missing(String name) {
        return new WimseException(Reason.MISSING_SIGNATURE_PARAMETER, "the WIMSE signature has no '" + name
                + "' parameter (HS-4)");
    }

    private static SfDictionary dictionary(String field, List<String> lines) throws WimseException {
        try {
            return StructuredFields.parseDictionary(StructuredFields.combine(lines));
        } catch (StructuredFieldException e) {
            throw SignatureBase.malformed("'" + field + "' is not a Structured Field dictionary (RFC 9651): " + e.getMessage());
        }
    }

    /** Identifiers of the covered components, serialized (e.g. {@code "@method"}, {@code "@path";req}). */
    public List<String> covered() {
        List<String> out = new ArrayList<>(input.items().size());
        for (Item id : input.items()) {
            out.add(StructuredFields.serialize(id));
        }
        return out;
    }

    @Override
    public String toString() {
        return "TaggedSignature[" + label + ", " + covered() + "]";
    }
}
