package io.wimse4j.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.wimse4j.deploy.Manifests.container;
import static io.wimse4j.deploy.Manifests.mount;
import static io.wimse4j.deploy.Manifests.podSpec;
import static io.wimse4j.deploy.Manifests.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The manifests of {@code deploy/kubernetes} agree with each other and with the Identity Server's
 * settings: a row per check (K_1..K_13, {@link ManifestChecks}) on the committed files, then a row per
 * broken reference (B_*), each naming the check that must catch it and the exact violation it reports.
 */
class KubernetesManifestsTest {
    private static Manifests manifests;

    @BeforeAll
    static void load() {
        manifests = Manifests.load(Path.of(System.getProperty("wimse.deploy.dir", "../deploy/kubernetes")));
    }

    @Test
    void everyManifestIsRead() {
        assertThat(manifests.objects()).extracting(o -> o.path("kind").asText()).contains(
                "Namespace", "ConfigMap", "Service", "ServiceAccount", "StatefulSet", "Deployment");
        assertThat(manifests.get("StatefulSet", ManifestChecks.SERVER).path("spec").path("volumeClaimTemplates")).hasSize(1);
    }

    static Stream<ManifestChecks.Check> checks() {
        return ManifestChecks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void committedManifestsPass(ManifestChecks.Check check) {
        assertThat(check.violations().apply(manifests)).as(check.what()).isEmpty();
    }

    static Stream<Arguments> brokenReferences() {
        return Stream.of(
                row("B_1", "K_1", "the Service moved to another namespace",
                        m -> meta(m.get("Service", "wimse-server")).put("namespace", "default"),
                        "Service/wimse-server is not in namespace wimse"),
                row("B_2", "K_2", "the Deployment's selector no longer matches its pods",
                        m -> ((ObjectNode) m.get("Deployment", "orders").path("spec").path("selector").path("matchLabels"))
                                .put("app.kubernetes.io/name", "order"),
                        "Deployment/orders selector {\"app.kubernetes.io/name\":\"order\"} does not match its template labels"),
                row("B_3", "K_3", "the Service selects a label no pod carries",
                        m -> ((ObjectNode) m.get("Service", "wimse-server").path("spec").path("selector"))
                                .put("app.kubernetes.io/name", "wimse-srv"),
                        "Service/wimse-server selects no workload"),
                row("B_4", "K_3", "the Service's targetPort names no containerPort",
                        m -> ((ObjectNode) m.get("Service", "wimse-server").path("spec").path("ports").path(0)).put("targetPort", "http"),
                        "Service/wimse-server targetPort http is no containerPort of StatefulSet/wimse-server"),
                row("B_5", "K_4", "a mount names a volume the pod lacks",
                        m -> ((ObjectNode) mount(container(m.get("Deployment", "orders"), "app"), "wimse-credentials"))
                                .put("name", "wimse-creds"),
                        "Deployment/orders container app mounts undeclared volume wimse-creds"),
                row("B_6", "K_5", "the server's JWKS ConfigMap is renamed",
                        m -> meta(m.get("ConfigMap", "wimse-cluster-jwks")).put("name", "cluster-jwks"),
                        "StatefulSet/wimse-server volume cluster-jwks refers to missing ConfigMap wimse-cluster-jwks"),
                row("B_7", "K_5", "the workload's ServiceAccount is missing",
                        m -> ((ObjectNode) podSpec(m.get("Deployment", "orders"))).put("serviceAccountName", "default"),
                        "Deployment/orders runs as missing ServiceAccount 'default'"),
                row("B_8", "K_6", "the agent's probe targets a port it does not open",
                        m -> ((ObjectNode) container(m.get("Deployment", "orders"), "wimse-agent").path("livenessProbe").path("httpGet"))
                                .put("port", 9090),
                        "Deployment/orders container wimse-agent livenessProbe port 9090 is no containerPort"),
                row("B_9", "K_7", "the server's readiness probe uses /healthz",
                        m -> ((ObjectNode) container(m.get("StatefulSet", "wimse-server"), "wimse-server").path("readinessProbe")
                                .path("httpGet")).put("path", "/healthz"),
                        "readinessProbe path is '/healthz', expected '/readyz'"),
                row("B_10", "K_8", "the app allows privilege escalation",
                        m -> ((ObjectNode) container(m.get("Deployment", "orders"), "app").path("securityContext"))
                                .put("allowPrivilegeEscalation", true),
                        "Deployment/orders container app allows privilege escalation"),
                row("B_11", "K_8", "the agent keeps its capabilities",
                        m -> ((ObjectNode) container(m.get("Deployment", "orders"), "wimse-agent").path("securityContext"))
                                .remove("capabilities"),
                        "Deployment/orders container wimse-agent does not drop ALL capabilities"),
                row("B_12", "K_8", "the server writes its root filesystem",
                        m -> ((ObjectNode) container(m.get("StatefulSet", "wimse-server"), "wimse-server").path("securityContext"))
                                .put("readOnlyRootFilesystem", false),
                        "StatefulSet/wimse-server container wimse-server has a writable root filesystem"),
                row("B_13", "K_9", "the agent has no memory limit",
                        m -> ((ObjectNode) container(m.get("Deployment", "orders"), "wimse-agent").path("resources").path("limits"))
                                .remove("memory"),
                        "Deployment/orders container wimse-agent has no memory limits"),
                row("B_14", "K_10", "the state volume is mounted elsewhere than state-dir",
                        m -> ((ObjectNode) mount(container(m.get("StatefulSet", "wimse-server"), "wimse-server"), "state"))
                                .put("mountPath", "/data"),
                        "state-dir mount is '/data', expected '/var/lib/wimse-server'"),
                row("B_15", "K_10", "server.properties has a misspelt key",
                        m -> serverProperties(m, "kubernetes-audience=", "kubernetes-audiance="),
                        "server.properties is refused by ConfigLoader: unknown setting 'kubernetes-audiance' in config file server.properties"),
                row("B_16", "K_11", "the projected token is for another audience",
                        m -> ((ObjectNode) volume(m.get("Deployment", "orders"), "wimse-token").path("projected").path("sources")
                                .path(0).path("serviceAccountToken")).put("audience", "https://kubernetes.default.svc"),
                        "projected token audience is 'https://kubernetes.default.svc', expected 'wimse-server'"),
                row("B_17", "K_11", "the server accepts another audience",
                        m -> serverProperties(m, "kubernetes-audience=wimse-server", "kubernetes-audience=wimse"),
                        "projected token audience is 'wimse-server', expected 'wimse'"),
                row("B_18", "K_12", "the app may write the credentials",
                        m -> ((ObjectNode) mount(container(m.get("Deployment", "orders"), "app"), "wimse-credentials")).remove("readOnly"),
                        "the app does not mount wimse-credentials read-only"),
                row("B_19", "K_12", "the app reads a WIT file the agent does not write",
                        m -> ((ObjectNode) container(m.get("Deployment", "orders"), "app").path("env").path(0)).put("value", "/tmp/wit"),
                        "app WIMSE_WIT_FILE /tmp/wit is not the file the agent writes (/var/run/wimse/wit)"),
                row("B_20", "K_13", "the agent calls a port the Service does not expose",
                        m -> replaceArg(m, "--server=", "--server=https://wimse-server.wimse.svc:443"),
                        "agent --server port 443 is no port of Service wimse-server"),
                row("B_21", "K_13", "the agent reads the token from the wrong path",
                        m -> replaceArg(m, "--k8s-token-file=", "--k8s-token-file=/var/run/secrets/kubernetes.io/serviceaccount/token"),
                        "agent --k8s-token-file is '/var/run/secrets/kubernetes.io/serviceaccount/token', expected '/var/run/secrets/wimse/token'"),
                row("B_22", "K_13", "the agent's health port differs from its probes'",
                        m -> replaceArg(m, "--health-port=", "--health-port=8082"),
                        "agent --health-port 8082 is not the containerPort its probes use"),
                row("B_23", "K_14", "the agent is given a flag the CLI does not have",
                        m -> replaceArg(m, "--key-file=", "--wit-key-file=/var/run/wimse/wit-key.json"),
                        "wimse refuses the agent's args: Unknown option: '--wit-key-file=/var/run/wimse/wit-key.json'"),
                row("B_24", "K_14", "the agent's health endpoint listens on loopback only",
                        m -> replaceArg(m, "--health-bind=", "--health-bind=127.0.0.1"),
                        "agent --health-bind 127.0.0.1 is loopback: the kubelet's httpGet probes cannot reach it"));
    }

    @ParameterizedTest(name = "{0} {2}: caught by {1}")
    @MethodSource("brokenReferences")
    void aBrokenReferenceIsCaughtByItsCheck(String row, String checkId, String what, Consumer<Manifests> breakIt, String violation) {
        ManifestChecks.Check check = ManifestChecks.all().stream().filter(c -> c.id().equals(checkId)).findFirst().orElseThrow();
        Manifests broken = manifests.copy();
        breakIt.accept(broken);
        assertThat(check.violations().apply(broken)).as(row + " " + what).containsExactly(violation);
    }

    private static Arguments row(String row, String check, String what, Consumer<Manifests> breakIt, String violation) {
        return arguments(row, check, what, breakIt, violation);
    }

    private static ObjectNode meta(ObjectNode o) {
        return (ObjectNode) o.path("metadata");
    }

    private static void serverProperties(Manifests m, String from, String to) {
        ObjectNode data = (ObjectNode) m.get("ConfigMap", "wimse-server-config").path("data");
        String text = data.path("server.properties").asText();
        assertThat(text).contains(from);
        data.put("server.properties", text.replace(from, to));
    }

    private static void replaceArg(Manifests m, String prefix, String replacement) {
        ArrayNode args = (ArrayNode) container(m.get("Deployment", "orders"), "wimse-agent").path("args");
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).asText().startsWith(prefix)) {
                args.set(i, args.textNode(replacement));
                return;
            }
        }
        throw new AssertionError("no agent arg " + prefix);
    }
}
