package io.wimse4j.server.internal;

import io.wimse4j.core.id.WorkloadIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The registration store's own invariants, held under its lock (not only by its callers). */
class RegistrationStoreTest {
    @TempDir
    Path tmp;

    static Registration kube(String id, String ns, String sa) throws Exception {
        return new Registration(WorkloadIdentifier.parse(id), Set.of(AttestationMethod.KUBERNETES), Optional.empty(),
                Optional.of(new Registration.ServiceAccount(ns, sa)));
    }

    @Test
    void serviceAccountMapsToAtMostOneIdentifierEvenWhenAddedDirectly() throws Exception {
        RegistrationStore store = RegistrationStore.open(StateDir.open(tmp.resolve("state")), java.time.Clock.systemUTC());
        assertThat(store.add(kube("wimse://example.org/a", "ns", "sa"))).isTrue();
        // a second identifier for the same service account: the check-then-add of two concurrent
        // admin requests reaches the store exactly like this
        assertThat(store.add(kube("wimse://example.org/b", "ns", "sa"))).isFalse();
        assertThat(store.find(WorkloadIdentifier.parse("wimse://example.org/b"))).isEmpty();
        assertThat(store.findByServiceAccount(new Registration.ServiceAccount("ns", "sa")).orElseThrow().id().value())
                .isEqualTo("wimse://example.org/a");
        // reopened from disk: still one mapping
        RegistrationStore reopened = RegistrationStore.open(StateDir.open(tmp.resolve("state")), java.time.Clock.systemUTC());
        assertThat(reopened.all()).hasSize(1);
    }
}
