package io.wimse4j.httpsig.sfv;

/**
 * A member of a {@link SfList} or a value of a {@link SfDictionary}: an {@link Item} or an {@link InnerList},
 * each with its parameters.
 */
public sealed interface Member permits Item, InnerList {
    /** The parameters of this item or inner list. */
    Parameters parameters();
}
