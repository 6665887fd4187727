package dev.surge.testing;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes manifests of {@code ops/k8s} as {@code kubectl apply -k} reads them, for tests run from a module
 * (no cluster, nor kustomize, where the tests run): the resources its {@code kustomization.yaml} lists, in its
 * namespace, the images it sets, and what its generators read. A generator's env file is read from its committed
 * {@code .example} when there is one (the Secret's file is the user's own, never committed).
 */
public final class K8sManifests {

  /** The repository's {@code ops/k8s}, two levels above a service module. */
  public static final Path DIR = Path.of("..", "..", "ops", "k8s");

  private final Map<String, Object> kustomization;
  private final List<Map<String, Object>> resources;
  private final Map<String, Map<String, String>> generated = new LinkedHashMap<>();

  private K8sManifests(Map<String, Object> kustomization, List<Map<String, Object>> resources) {
    this.kustomization = kustomization;
    this.resources = resources;
  }

  @SuppressWarnings("unchecked")
  public static K8sManifests read() throws IOException {
    Map<String, Object> kustomization = new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml")));
    List<Map<String, Object>> resources = new ArrayList<>();
    for (String file : (List<String>) kustomization.get("resources")) {
      for (Object document : new Yaml().loadAll(Files.readString(DIR.resolve(file)))) {
        if (document != null) {
          resources.add((Map<String, Object>) document);
        }
      }
    }
    K8sManifests manifests = new K8sManifests(kustomization, resources);
    for (String kind : List.of("configMapGenerator", "secretGenerator")) {
      for (Map<String, Object> generator : (List<Map<String, Object>>) kustomization.getOrDefault(kind, List.of())) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String file : (List<String>) generator.getOrDefault("envs", List.of())) {
          data.putAll(envFile(Files.exists(DIR.resolve(file + ".example")) ? file + ".example" : file));
        }
        // files: KEY=PATH, each key holding that file (its path, relative to ops/k8s, here).
        for (String file : (List<String>) generator.getOrDefault("files", List.of())) {
          int eq = file.indexOf('=');
          data.put(eq < 0 ? Path.of(file).getFileName().toString() : file.substring(0, eq), file.substring(eq + 1));
        }
        manifests.generated.put((String) generator.get("name"), data);
      }
    }
    return manifests;
  }

  /** A kustomize env file: {@code NAME=value} lines; blank lines and {@code #} comments skipped. */
  public static Map<String, String> envFile(String file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DIR.resolve(file))) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        int eq = trimmed.indexOf('=');
        values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
      }
    }
    return values;
  }

  public Map<String, Object> kustomization() {
    return kustomization;
  }

  /** The namespace kustomize puts every resource in. */
  public String namespace() {
    return (String) kustomization.get("namespace");
  }

  public List<Map<String, Object>> resources() {
    return resources;
  }

  public List<Map<String, Object>> ofKind(String kind) {
    return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
  }

  /** The resource of that kind and name; fails when there is none. */
  public Map<String, Object> named(String kind, String name) {
    return ofKind(kind).stream().filter(r -> name.equals(at(r, "metadata", "name"))).findFirst()
      .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + DIR));
  }

  /**
   * What a configMapGenerator or secretGenerator of that name puts in its ConfigMap or Secret (for its {@code files},
   * each key's file path); null if none.
   */
  public Map<String, String> generated(String name) {
    return generated.get(name);
  }

  /** The image as kustomize's {@code images} rewrites it ({@code newName}, {@code newTag}). */
  @SuppressWarnings("unchecked")
  public String image(String image) {
    int colon = image.lastIndexOf(':');
    String name = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    for (Map<String, Object> rule : (List<Map<String, Object>>) kustomization.getOrDefault("images", List.of())) {
      if (name.equals(rule.get("name"))) {
        return rule.getOrDefault("newName", name) + ":" + rule.getOrDefault("newTag", tag);
      }
    }
    return name + ":" + tag;
  }

  /** Every container of every Deployment. */
  @SuppressWarnings("unchecked")
  public List<Container> containers() {
    List<Container> containers = new ArrayList<>();
    for (Map<String, Object> deployment : ofKind("Deployment")) {
      Map<String, Object> template = at(deployment, "spec", "template");
      for (Map<String, Object> container : (List<Map<String, Object>>) at(template, "spec", "containers")) {
        containers.add(new Container(this, deployment, template, container));
      }
    }
    return containers;
  }

  /** The (first) container of that Deployment; fails when there is none. */
  public Container container(String deployment) {
    return containers().stream().filter(c -> c.deploymentName().equals(deployment)).findFirst()
      .orElseThrow(() -> new AssertionError("no Deployment " + deployment + " in " + DIR));
  }

  /** The value at a path of keys, or null where the path ends early. */
  @SuppressWarnings("unchecked")
  public static <T> T at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return (T) current;
  }

  /**
   * One environment variable of a container, as the pod gets it: its {@code value}, or the value of the generated
   * ConfigMap or Secret it comes from ({@code source} {@code configMap:NAME} or {@code secret:NAME}); a field of the
   * pod ({@code field:PATH}) has no value until the pod runs.
   */
  public record Env(String name, String value, String source) {
  }

  /** A container of a Deployment, with its pod's template. */
  public record Container(K8sManifests manifests, Map<String, Object> deployment, Map<String, Object> template,
                          Map<String, Object> spec) {

    /** The Deployment's name. */
    public String deploymentName() {
      return at(deployment, "metadata", "name");
    }

    public String name() {
      return (String) spec.get("name");
    }

    public Map<String, Object> podSpec() {
      return at(template, "spec");
    }

    public Map<String, String> podLabels() {
      return at(template, "metadata", "labels");
    }

    /** The image as kustomize leaves it. */
    public String image() {
      return manifests.image((String) spec.get("image"));
    }

    /** The container's port of that name or number; null if it declares none such. */
    @SuppressWarnings("unchecked")
    public Integer port(Object nameOrNumber) {
      for (Map<String, Object> port : (List<Map<String, Object>>) spec.getOrDefault("ports", List.of())) {
        if (nameOrNumber.equals(port.get("name")) || nameOrNumber.equals(port.get("containerPort"))) {
          return (Integer) port.get("containerPort");
        }
      }
      return null;
    }

    /** Its environment: {@code envFrom} first, then {@code env}, which wins over it as in Kubernetes. */
    @SuppressWarnings("unchecked")
    public Map<String, Env> env() {
      Map<String, Env> env = new LinkedHashMap<>();
      for (Map<String, Object> from : (List<Map<String, Object>>) spec.getOrDefault("envFrom", List.of())) {
        String configMap = at(from, "configMapRef", "name");
        String secret = at(from, "secretRef", "name");
        String source = configMap != null ? "configMap:" + configMap : "secret:" + secret;
        Map<String, String> data = manifests.generated(configMap != null ? configMap : secret);
        if (data == null) {
          throw new AssertionError(deploymentName() + " takes its environment from " + source + ", which nothing generates");
        }
        data.forEach((name, value) -> env.put(name, new Env(name, value, source)));
      }
      for (Map<String, Object> variable : (List<Map<String, Object>>) spec.getOrDefault("env", List.of())) {
        String name = (String) variable.get("name");
        if (variable.containsKey("value")) {
          env.put(name, new Env(name, String.valueOf(variable.get("value")), "value"));
        } else if (at(variable, "valueFrom", "secretKeyRef") != null) {
          String secret = at(variable, "valueFrom", "secretKeyRef", "name");
          String key = at(variable, "valueFrom", "secretKeyRef", "key");
          Map<String, String> data = manifests.generated(secret);
          env.put(name, new Env(name, data == null ? null : data.get(key), "secret:" + secret));
        } else if (at(variable, "valueFrom", "configMapKeyRef") != null) {
          String configMap = at(variable, "valueFrom", "configMapKeyRef", "name");
          Map<String, String> data = manifests.generated(configMap);
          env.put(name, new Env(name, data == null ? null
            : data.get(at(variable, "valueFrom", "configMapKeyRef", "key")), "configMap:" + configMap));
        } else {
          env.put(name, new Env(name, null, "field:" + at(variable, "valueFrom", "fieldRef", "fieldPath")));
        }
      }
      return env;
    }
  }
}
