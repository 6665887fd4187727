package dev.surge.catalog.products;

import dev.surge.catalog.CatalogMain;
import dev.surge.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** 100 concurrent reads of a cold key, spread over several event loops, make one database read. */
class CoalescedReadsTest {

  @Test
  void concurrentMissesOnOneKeyMakeOneDatabaseRead() {
    try (TestService service = TestService.start(CatalogMain.definition(), Map.of("http.instances", 4))) {
      long id = Products.create(service).getLong("id");
      double loadsBefore = Products.metric(service, "surge_cache_loads_total", "cache=\"products\"");

      List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        reads.add(service.client().get("/products/" + id).send());
      }
      TestService.await(Future.all(reads));

      for (Future<HttpResponse<Buffer>> read : reads) {
        assertThat(read.result().statusCode()).isEqualTo(200);
        assertThat(read.result().bodyAsJsonObject().getLong("id")).isEqualTo(id);
      }
      assertThat(Products.metric(service, "surge_cache_loads_total", "cache=\"products\"") - loadsBefore)
        .as("database reads for 100 concurrent requests").isEqualTo(1.0);
    }
  }
}
