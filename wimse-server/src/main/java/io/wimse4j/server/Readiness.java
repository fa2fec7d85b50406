package io.wimse4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.server.internal.KeyRing;
import io.wimse4j.server.internal.StateDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /readyz}: 200 {@code {"status":"ready"}} only when a WIT signing key is active, the state
 * directory is writable (a temporary file created and deleted there on every probe) and, when the
 * {@code kubernetes} method is configured, the cluster's JWKS is loaded; otherwise 503
 * {@code {"status":"not-ready","failing":[{"check":..., "reason":...}]}}, the reasons naming what is
 * missing, never a secret or a key. {@code /healthz} only says the process serves requests.
 */
final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final KeyRing keys;
    private final StateDir state;
    private final Optional<KubernetesKeys> kubernetes;

    Readiness(KeyRing keys, StateDir state, Optional<KubernetesKeys> kubernetes) {
        this.keys = keys;
        this.state = state;
        this.kubernetes = kubernetes;
    }

    /** The probe's answer. */
    Reply probe() {
        List<String[]> failing = new ArrayList<>();
        if (keys.keys().stream().noneMatch(k -> k.state() == KeyRing.State.ACTIVE)) {
            failing.add(new String[] {"signing-keys", "no WIT signing key is active"});
        }
        stateWritable().ifPresent(r -> failing.add(new String[] {"state-dir", r}));
        kubernetes.flatMap(KubernetesKeys::notReadyReason)
                .ifPresent(r -> failing.add(new String[] {"kubernetes-jwks", r}));
        ObjectNode o = StrictJson.mapper().createObjectNode();
        if (failing.isEmpty()) {
            o.put("status", "ready");
            return new Reply(200, Reply.JSON, bytes(o), java.util.Map.of("Cache-Control", "no-store"));
        }
        o.put("status", "not-ready");
        ArrayNode arr = o.putArray("failing");
        failing.forEach(f -> arr.addObject().put("check", f[0]).put("reason", f[1]));
        return new Reply(503, Reply.JSON, bytes(o), java.util.Map.of("Cache-Control", "no-store"));
    }

    private Optional<String> stateWritable() {
        Path probe = null;
        try {
            probe = Files.createTempFile(state.path(), ".tmp-readyz-", ".part",
                    PosixFilePermissions.asFileAttribute(StateDir.FILE_PERMS));
            Files.write(probe, new byte[] {1});
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("readiness: the state directory is not writable: {}", e.toString());
            return Optional.of("the state directory is not writable");
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException e) {
                    LOG.warn("readiness: cannot delete the probe file {}: {}", probe, e.toString());
                }
            }
        }
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return StrictJson.mapper().writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
