package dev.mtlj.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker/k8s/*.yaml checked strictly without a cluster: every Kubernetes object decoded into fabric8's model of the
 * official types (8.0.0), with any field the types do not know — a misspelt or invented one, which fabric8 would
 * keep aside as an "additional property" and a cluster would drop or refuse — an error naming its path. The
 * PyTorchJob's own fields are checked against the training operator's v1 API (a hand-checked list from its CRD,
 * kubeflow.org_pytorchjobs.yaml of training-operator v1.8.1; docker/check-manifests, which needs Go, decodes every
 * manifest into the operator's and Kubernetes' own Go types and prints the CRD's fields to recheck this list), and
 * its pod templates against fabric8's PodTemplateSpec.
 */
class ManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<?>> TYPES = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "v1 ConfigMap", ConfigMap.class,
            "v1 PersistentVolumeClaim", PersistentVolumeClaim.class,
            "autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    /** The fields of the training operator's v1 PyTorchJob above the pod templates (from its CRD). */
    private static final Map<String, Set<String>> PYTORCHJOB = Map.of(
            "", Set.of("apiVersion", "kind", "metadata", "spec"),
            "spec", Set.of("elasticPolicy", "nprocPerNode", "pytorchReplicaSpecs", "runPolicy"),
            "spec.runPolicy",
                    Set.of(
                            "activeDeadlineSeconds",
                            "backoffLimit",
                            "cleanPodPolicy",
                            "schedulingPolicy",
                            "suspend",
                            "ttlSecondsAfterFinished"),
            "spec.pytorchReplicaSpecs.*", Set.of("replicas", "restartPolicy", "template"));

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(p, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    @Test
    void everyManifestUsesOnlyFieldsOfItsType() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("docker/k8s"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : documents(f)) {
                    String key = doc.path("apiVersion").asText() + " "
                            + doc.path("kind").asText();
                    String where = f.getFileName() + " " + key + " "
                            + doc.path("metadata").path("name").asText();
                    if (key.equals("kubeflow.org/v1 PyTorchJob")) {
                        pytorchJob(doc, where, problems);
                    } else if (TYPES.containsKey(key)) {
                        strict(YAML.treeToValue(doc, TYPES.get(key)), where, problems);
                    } else {
                        problems.add(where + ": no checked type for " + key);
                    }
                    checked.add(doc.path("kind").asText());
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked)
                .as("manifests checked")
                .containsExactlyInAnyOrder(
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PyTorchJob",
                        "ConfigMap",
                        "PersistentVolumeClaim");
    }

    /** A misspelt field is caught (the check is not vacuous). */
    @Test
    void aMisspeltFieldIsCaught() throws IOException {
        JsonNode d = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          readinesProbe: {httpGet: {path: /, port: 80}}
                """);
        List<String> problems = new ArrayList<>();
        strict(YAML.treeToValue(d, Deployment.class), "d", problems);
        assertThat(problems).containsExactly("d: unknown field spec.template.spec.containers[0].readinesProbe");
        List<String> job = new ArrayList<>();
        pytorchJob(YAML.readTree("""
                apiVersion: kubeflow.org/v1
                kind: PyTorchJob
                metadata: {name: j}
                spec:
                  runPolicy: {backofLimit: 3}
                  pytorchReplicaSpecs:
                    Master: {replicas: 1, template: {spec: {containers: [{name: pytorch, image: i, args: [a]}]}}}
                """), "j", job);
        assertThat(job).containsExactly("j: unknown field spec.runPolicy.backofLimit");
    }

    private static void pytorchJob(JsonNode doc, String where, List<String> problems) throws IOException {
        fields(doc, "", where, problems);
        fields(doc.path("spec"), "spec", where, problems);
        fields(doc.path("spec").path("runPolicy"), "spec.runPolicy", where, problems);
        JsonNode replicas = doc.path("spec").path("pytorchReplicaSpecs");
        for (Iterator<String> it = replicas.fieldNames(); it.hasNext(); ) {
            String role = it.next();
            if (!role.equals("Master") && !role.equals("Worker")) {
                problems.add(where + ": replica type " + role + " is neither Master nor Worker");
            }
            JsonNode spec = replicas.get(role);
            fields(spec, "spec.pytorchReplicaSpecs.*", where, problems);
            List<String> inner = new ArrayList<>();
            strict(YAML.treeToValue(spec.path("template"), PodTemplateSpec.class), where, inner);
            inner.forEach(p -> problems.add(
                    p.replace("unknown field ", "unknown field spec.pytorchReplicaSpecs." + role + ".template.")));
            boolean named = false;
            for (JsonNode c : spec.path("template").path("spec").path("containers")) {
                named |= c.path("name").asText().equals("pytorch");
            }
            if (!named) {
                problems.add(
                        where + ": " + role + " has no container named 'pytorch' (the operator configures that one)");
            }
        }
    }

    private static void fields(JsonNode node, String path, String where, List<String> problems) {
        Set<String> known = PYTORCHJOB.get(path);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problems.add(where + ": unknown field " + (path.isEmpty() ? "" : path.replace("*", "?") + ".") + f);
            }
        }
    }

    /** Every non-empty {@code additionalProperties} below {@code o} (fields the types do not know), by path. */
    private static void strict(Object o, String where, List<String> problems) {
        walk(o, "", where, problems, new IdentityHashMap<>());
    }

    private static void walk(Object o, String path, String where, List<String> problems, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null || !o.getClass().getName().startsWith("io.fabric8")) {
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    walk(e, path + "[" + i++ + "]", where, problems, seen);
                }
            } else if (o instanceof Map<?, ?> m && !path.endsWith("additionalProperties")) {
                m.forEach((k, v) -> walk(v, path + "." + k, where, problems, seen));
            }
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra) {
                    extra.keySet()
                            .forEach(k -> problems.add(
                                    where + ": unknown field " + (path.isEmpty() ? "" : path.substring(1) + ".") + k));
                }
                continue;
            }
            String name =
                    Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(v, path + "." + name, where, problems, seen);
        }
    }
}
