package dev.surge.gateway.pages;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.Set;

/**
 * The gateway's pages (the console, the API reference): their own files and those of a WebJar dependency, served
 * from the jar under a {@code Content-Security-Policy} that lets them run only this origin's scripts and never be
 * framed.
 */
public final class StaticPages {

  private static final Properties WEBJARS = webjars();
  private static final java.util.regex.Pattern PAGE_FILES = java.util.regex.Pattern.compile(
    "[A-Za-z0-9_.-]+\\.(html|js|css|png|svg)");

  private final Router router;
  private final String mount;
  private final String policy;

  private StaticPages(Router router, String mount, String policy) {
    this.router = router;
    this.mount = mount;
    this.policy = policy;
  }

  /**
   * Pages under {@code mount} (such as {@code /console}), whose files are relative to {@code mount/}: a request for
   * {@code mount} itself is sent there.
   */
  public static StaticPages at(Router router, String mount, String policy) {
    router.get(mount).handler(ctx -> { // a route matches the path with and without its last slash
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect(mount + "/");
      }
    });
    return new StaticPages(router, mount, policy);
  }

  /** {@code mount/path/<file>}: the named files of a WebJar's folder ({@code dist} of uplot, say), and no other. */
  public StaticPages webjar(String path, String artifact, String folder, Set<String> files) {
    String version = WEBJARS.getProperty(artifact);
    if (version == null) {
      throw new IllegalStateException("No version of the WebJar " + artifact + " in webjars.properties");
    }
    router.get(mount + "/" + path + "/*").handler(ctx -> {
      String requested = ctx.request().path();
      if (files.contains(requested.substring(requested.lastIndexOf('/') + 1))) {
        secured(ctx);
      } else {
        ctx.fail(404); // a WebJar holds more (sources, demo pages): only what the pages load is served
      }
    }).handler(StaticHandler.create("META-INF/resources/webjars/" + artifact + "/" + version
      + (folder.isEmpty() ? "" : "/" + folder)).setDirectoryListing(false).setCachingEnabled(false));
    return this;
  }

  /**
   * {@code mount/<file>}: the pages' own files, a classpath folder of their own (under {@code META-INF/surge-pages},
   * where no class or configuration is) with an {@code index.html}; only pages, scripts, style sheets and images.
   */
  public StaticPages files(String resources) {
    router.get(mount + "/*").handler(ctx -> {
      String path = ctx.request().path();
      String file = path.substring(path.lastIndexOf('/') + 1);
      if (file.isEmpty() || PAGE_FILES.matcher(file).matches()) {
        secured(ctx);
      } else {
        ctx.fail(404);
      }
    }).handler(StaticHandler.create(resources).setIndexPage("index.html").setDirectoryListing(false)
      .setCachingEnabled(false)); // unversioned file names: a new gateway's pages must not meet yesterday's modules
    return this;
  }

  private void secured(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", policy)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  private static Properties webjars() {
    try (InputStream in = StaticPages.class.getResourceAsStream("webjars.properties")) {
      if (in == null) {
        throw new IllegalStateException("webjars.properties is missing from the gateway's jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
