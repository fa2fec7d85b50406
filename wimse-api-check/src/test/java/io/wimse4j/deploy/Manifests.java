package io.wimse4j.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every Kubernetes object of {@code deploy/kubernetes/*.yaml} (multi-document files), parsed with
 * Jackson YAML into trees the checks of {@link ManifestChecks} walk. A copy can be edited by a test to
 * show that a check catches a broken reference.
 *
 * @param objects the objects, in file order
 */
record Manifests(List<ObjectNode> objects) {
    private static final ObjectMapper YAML = new YAMLMapper();

    /** Reads every {@code .yaml} file of {@code dir}, each document one object. */
    static Manifests load(Path dir) {
        List<ObjectNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    for (var it = YAML.readValues(parser, ObjectNode.class); it.hasNext(); ) {
                        ObjectNode o = it.next();
                        if (o != null && !o.isEmpty()) {
                            o.put("x-file", f.getFileName().toString());
                            objects.add(o);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(List.copyOf(objects));
    }

    /** A deep copy, for tests that break one reference. */
    Manifests copy() {
        return new Manifests(objects.stream().map(ObjectNode::deepCopy).toList());
    }

    /** The objects of {@code kind}. */
    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** The object of {@code kind} named {@code name}. */
    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    /** The object of {@code kind} named {@code name}; fails when there is none. */
    ObjectNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** The Deployments and StatefulSets. */
    List<ObjectNode> workloads() {
        return objects.stream().filter(o -> isWorkload(o)).toList();
    }

    static boolean isWorkload(JsonNode o) {
        String kind = o.path("kind").asText();
        return kind.equals("Deployment") || kind.equals("StatefulSet");
    }

    /** {@code metadata.name}. */
    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    /** {@code Kind/name}, how violations name an object. */
    static String id(JsonNode o) {
        return o.path("kind").asText() + "/" + name(o);
    }

    /** The pod spec of a workload. */
    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    /** The containers of a workload's pod. */
    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> out = new ArrayList<>();
        podSpec(workload).path("containers").forEach(out::add);
        return out;
    }

    /** The container {@code name} of {@code workload}. */
    static JsonNode container(JsonNode workload, String name) {
        return containers(workload).stream().filter(c -> name.equals(c.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + id(workload)));
    }

    /** The value of {@code --flag=value} in a container's args, if present. */
    static Optional<String> arg(JsonNode container, String flag) {
        for (JsonNode a : container.path("args")) {
            if (a.asText().startsWith(flag + "=")) {
                return Optional.of(a.asText().substring(flag.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** The pod volume named {@code name}, or a missing node. */
    static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode v : podSpec(workload).path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The mount of volume {@code volume} in {@code container}, or a missing node. */
    static JsonNode mount(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (volume.equals(m.path("name").asText())) {
                return m;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
