package dev.surge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Dockerfile as the builder reads it: comments dropped, continued lines joined, instructions
 * grouped by stage. For tests run from a module, which cannot build it (no Docker engine runs the tests).
 */
public final class Dockerfile {

  private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  /** One instruction: its keyword, upper-cased, and the rest of it on one line. */
  public record Instruction(String keyword, String args) {
  }

  /** A stage: from its {@code FROM} to the next. */
  public record Stage(String from, String name, List<Instruction> instructions) {

    public List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** The last instruction of that kind (the one that counts for USER, HEALTHCHECK, ENTRYPOINT), or null. */
    public String last(String keyword) {
      List<String> all = all(keyword);
      return all.isEmpty() ? null : all.getLast();
    }

    /** The default an {@code ARG name=default} gives, or null. */
    public String argDefault(String arg) {
      for (String args : all("ARG")) {
        if (args.startsWith(arg + "=")) {
          return args.substring(arg.length() + 1);
        }
      }
      return null;
    }

    /** Every variable its {@code ENV} instructions set, with the value as written. */
    public Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (String args : all("ENV")) {
        Matcher pair = ENV_PAIR.matcher(args);
        while (pair.find()) {
          String value = pair.group(2);
          env.put(pair.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
      }
      return env;
    }
  }

  private final List<Stage> stages;

  private Dockerfile(List<Stage> stages) {
    this.stages = stages;
  }

  /** Reads it from the repository root, two levels above a service module. */
  public static Dockerfile read() throws IOException {
    return parse(Files.readString(Path.of("..", "..", "Dockerfile")));
  }

  public static Dockerfile parse(String text) {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    StringBuilder line = new StringBuilder();
    for (String raw : text.split("\n")) {
      String trimmed = raw.strip();
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        line.append(trimmed.substring(0, trimmed.length() - 1).strip()).append(" ");
        continue;
      }
      line.append(trimmed);
      String instruction = line.toString().strip();
      line.setLength(0);
      if (instruction.isEmpty()) {
        continue;
      }
      int space = instruction.indexOf(' ');
      String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : instruction.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] words = args.split("\\s+");
        current = new ArrayList<>();
        stages.add(new Stage(words[0], words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null,
          current));
      } else if (current != null) {
        current.add(new Instruction(keyword, args));
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  public List<Stage> stages() {
    return stages;
  }

  public Stage stage(String name) {
    return stages.stream().filter(s -> name.equals(s.name())).findFirst()
      .orElseThrow(() -> new AssertionError("no stage " + name + " in the Dockerfile"));
  }

  /**
   * The HTTP port the image's health check asks for each service, from the runtime stage's
   * {@code case "$SERVICE" in name) port=N ;;} table (a build argument {@code HTTP_PORT} overrides it).
   */
  public Map<String, Integer> httpPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String run : runtime().all("RUN")) {
      if (run.contains("case \"$SERVICE\"")) {
        Matcher m = Pattern.compile("(\\w+)\\) port=(\\d+)").matcher(run);
        while (m.find()) {
          ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
      }
    }
    return ports;
  }

  /** The stage the image is made of: the last. */
  public Stage runtime() {
    return stages.getLast();
  }
}
