package dev.surge.jobservice.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Host names under {@code surge.test} (a reserved test domain) for the tests, answered by the JDK's own resolver
 * hook (found by the service loader), so the job's real lookup path resolves them and no query leaves the
 * machine; every other name goes to the built-in resolver. A name's answers are taken in turn, the last repeated.
 */
public final class TestNames extends InetAddressResolverProvider {

  private static final Map<String, List<List<String>>> ANSWERS = Map.of(
    "loopback.surge.test", List.of(List.of("127.0.0.1")),
    "hooks.surge.test", List.of(List.of("127.0.0.1")),
    "other.surge.test", List.of(List.of("127.0.0.1")),
    "metadata.surge.test", List.of(List.of("169.254.169.254")),
    "mixed.surge.test", List.of(List.of("127.0.0.1", "10.0.0.1")),
    "rebind.surge.test", List.of(List.of("127.0.0.1"), List.of("127.0.0.2")));
  private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

  /** How often {@code name} was looked up (the JDK caches an answer for 30 seconds). */
  static int lookups(String name) {
    return LOOKUPS.computeIfAbsent(name, n -> new AtomicInteger()).get();
  }

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        String name = host.toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith("surge.test")) {
          return builtin.lookupByName(host, policy);
        }
        List<List<String>> answers = ANSWERS.get(name);
        if (answers == null) {
          throw new UnknownHostException(host);
        }
        int n = LOOKUPS.computeIfAbsent(name, k -> new AtomicInteger()).getAndIncrement();
        List<String> answer = answers.get(Math.min(n, answers.size() - 1));
        InetAddress[] addresses = new InetAddress[answer.size()];
        for (int i = 0; i < addresses.length; i++) {
          addresses[i] = InetAddress.getByAddress(host, InetAddress.getByName(answer.get(i)).getAddress());
        }
        return Stream.of(addresses);
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "surge-test-names";
  }
}
