package io.wimse4j.httpsig.sfv;

/**
 * A bare item of RFC 9651 section 3.3: an item without its parameters. One of eight immutable types;
 * test for them with {@code instanceof}.
 */
public sealed interface BareItem
        permits SfInteger, SfDecimal, SfString, SfToken, SfByteSequence, SfBoolean, SfDate, SfDisplayString {
}
