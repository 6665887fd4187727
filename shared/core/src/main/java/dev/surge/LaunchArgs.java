package dev.surge;

import dev.surge.config.ConfigException;
import dev.surge.config.ConfigLoader;

/** The command line of a service jar: {@code [--conf FILE] [--print-config] [--help]}. */
record LaunchArgs(String confFile, boolean printConfig) {

  /** Parses the arguments; prints the usage and exits 0 on --help, exits 2 on anything unknown. */
  static LaunchArgs parse(String serviceName, String[] args) {
    String confFile = System.getenv(ConfigLoader.CONF_ENV);
    boolean printConfig = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--print-config")) {
        printConfig = true;
      } else if (arg.equals("--conf") && i + 1 < args.length) {
        confFile = args[++i];
      } else if (arg.startsWith("--conf=")) {
        confFile = arg.substring("--conf=".length());
      } else if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println("usage: java -jar " + serviceName + ".jar [--conf FILE.yaml] [--print-config]");
        System.out.println("Every key can also be set as SURGE_<KEY> in the environment or -D<key>=value; see docs/configuration.md.");
        System.exit(0);
      } else {
        System.err.println("surge: unknown argument " + dev.surge.config.Secrets.maskUrlPasswords(arg) + " (use --conf FILE, --print-config or --help)");
        System.exit(ConfigException.EXIT_CODE);
      }
    }
    return new LaunchArgs(confFile, printConfig);
  }
}
