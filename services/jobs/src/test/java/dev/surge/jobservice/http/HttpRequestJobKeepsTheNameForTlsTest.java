package dev.surge.jobservice.http;

import dev.surge.jobservice.JobRuns;
import dev.surge.jobs.Job;
import dev.surge.jobs.JobRequest;
import dev.surge.jobs.JobState;
import dev.surge.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job connects to the address it checked, yet TLS still sees the host name: it is sent as SNI and the
 * server's certificate (issued to the name, not to 127.0.0.1) passes the client's host name check. The
 * certificate is made here with the JDK's keytool and trusted through {@code javax.net.ssl.trustStore}.
 */
class HttpRequestJobKeepsTheNameForTlsTest {

  private static final Path DATA = JobRuns.newDataDir();
  private static final Path KEYS = JobRuns.newDataDir();
  private static final String PASSWORD = "surge-test";
  private static final List<String> serverNames = new CopyOnWriteArrayList<>();
  private static final Vertx vertx = Vertx.vertx();
  private static final HttpServer server = tlsServer();

  @RegisterExtension
  static final TestService service = JobRuns.perClass(DATA, Map.of("jobs.http.allowedHosts", "hooks.surge.test"));

  @AfterAll
  static void stop() {
    TestService.await(vertx.close());
    System.clearProperty("javax.net.ssl.trustStore");
    System.clearProperty("javax.net.ssl.trustStorePassword");
    JobRuns.deleteTree(DATA);
    JobRuns.deleteTree(KEYS);
  }

  @Test
  void theNameIsTheSniAndTheCertificateIsCheckedAgainstIt() {
    Job job = JobRuns.run(service, new JobRequest("http.request",
      new JsonObject().put("url", "https://hooks.surge.test:" + server.actualPort() + "/tls")).setMaxAttempts(1));

    assertThat(job.state()).as(String.valueOf(job.errors())).isEqualTo(JobState.COMPLETED);
    assertThat(job.result().getInteger("status")).isEqualTo(200);
    assertThat(serverNames).containsExactly("hooks.surge.test");
  }

  private static HttpServer tlsServer() {
    Path keystore = KEYS.resolve("hooks.p12");
    keytool("-genkeypair", "-alias", "hooks", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
      "-dname", "CN=hooks.surge.test", "-ext", "SAN=dns:hooks.surge.test",
      "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    Path certificate = KEYS.resolve("hooks.cer");
    keytool("-exportcert", "-alias", "hooks", "-keystore", keystore.toString(), "-storepass", PASSWORD,
      "-file", certificate.toString());
    Path truststore = KEYS.resolve("trust.p12");
    keytool("-importcert", "-noprompt", "-alias", "hooks", "-file", certificate.toString(),
      "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    System.setProperty("javax.net.ssl.trustStore", truststore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    return TestService.await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD)))
      .requestHandler(request -> {
        serverNames.add(String.valueOf(request.connection().indicatedServerName()));
        request.response().end("secure");
      })
      .listen(0, "127.0.0.1"));
  }

  private static void keytool(String... args) {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    List<String> command = new java.util.ArrayList<>(List.of(java.resolveSibling("keytool").toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
