package dev.surge.standalone.launcher;

import java.lang.management.ManagementFactory;

/** The main of the jar the launcher test starts: the JVM's version and the options it was started with. */
public final class PrintsTheJvmItRunsOn {

  private PrintsTheJvmItRunsOn() {
  }

  public static void main(String[] args) {
    System.out.println("version=" + Runtime.version().feature());
    System.out.println("options=" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }
}
