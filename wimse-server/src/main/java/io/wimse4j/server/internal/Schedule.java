package io.wimse4j.server.internal;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** The one rule of both rotations (WIT signing keys, workload CAs): the entry that signs is the last one whose time has come. */
final class Schedule {
    private Schedule() {
    }

    /** The last of {@code entries} (in signing order) whose {@code signsFrom} is not after {@code now}; the first when none is. */
    static <E> E current(List<E> entries, Function<E, Instant> signsFrom, Instant now) {
        E active = entries.get(0);
        for (E e : entries) {
            if (!signsFrom.apply(e).isAfter(now)) {
                active = e;
            }
        }
        return active;
    }
}
