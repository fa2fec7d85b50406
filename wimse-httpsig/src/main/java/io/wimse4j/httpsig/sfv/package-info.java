/**
 * Structured Field Values for HTTP (RFC 9651): a strict parser and a canonical serializer, written for
 * the HTTP Message Signatures of wimse4j (RFC 9421 fields {@code Signature-Input} and {@code Signature}
 * are Dictionaries of Structured Fields).
 *
 * <p>{@link io.wimse4j.httpsig.sfv.StructuredFields} parses a field value into an {@link io.wimse4j.httpsig.sfv.Item},
 * an {@link io.wimse4j.httpsig.sfv.SfList} or an {@link io.wimse4j.httpsig.sfv.SfDictionary}, following the
 * algorithms of RFC 9651 section 4.2 exactly, and serializes them per section 4.1. Every value is immutable and
 * checked when it is made: a value that exists can always be serialized, and what is parsed serializes to its
 * canonical form.
 *
 * <p>Bare items, RFC 9651 section 3.3: {@link io.wimse4j.httpsig.sfv.SfInteger}, {@link io.wimse4j.httpsig.sfv.SfDecimal},
 * {@link io.wimse4j.httpsig.sfv.SfString}, {@link io.wimse4j.httpsig.sfv.SfToken},
 * {@link io.wimse4j.httpsig.sfv.SfByteSequence}, {@link io.wimse4j.httpsig.sfv.SfBoolean},
 * {@link io.wimse4j.httpsig.sfv.SfDate} and {@link io.wimse4j.httpsig.sfv.SfDisplayString}; their names carry
 * {@code Sf} so as not to shadow {@code java.lang.Integer}, {@code String}, {@code Boolean} or {@code java.util.Date},
 * {@code List}, {@code Dictionary}.
 */
package io.wimse4j.httpsig.sfv;
