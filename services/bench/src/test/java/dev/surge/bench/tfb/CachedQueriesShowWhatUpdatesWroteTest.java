package dev.surge.bench.tfb;

import dev.surge.bench.BenchMain;
import dev.surge.testing.SurgeTestEnvironment;
import dev.surge.testing.TestService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.surge.bench.tfb.TfbResponses.assertWorlds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copy of the World table that /cached-queries serves keeps what /updates writes, in every concurrency model
 * (each has its own /updates): 500 rows updated, then 500 served from the copy, of which some two dozen are rows
 * just updated, and every row served is the one stored.
 */
class CachedQueriesShowWhatUpdatesWroteTest {

  @ParameterizedTest
  @ValueSource(strings = {"event-loop", "worker", "virtual-thread"})
  void everyCachedRowIsTheStoredOne(String model) throws Exception {
    try (TestService service = TestService.start(BenchMain.definition(), Map.of("bench.model", model))) {
      Set<Integer> updated = new HashSet<>();
      assertWorlds(service.get("/updates?queries=500"), 500).forEach(w -> updated.add(((JsonObject) w).getInteger("id")));
      JsonArray cached = assertWorlds(service.get("/cached-queries?count=500"), 500);
      Map<Integer, Integer> served = new HashMap<>();
      cached.forEach(w -> served.put(((JsonObject) w).getInteger("id"), ((JsonObject) w).getInteger("randomNumber")));
      assertThat(served.keySet()).as("rows just updated among those served").containsAnyElementsOf(updated);
      assertThat(served).isEqualTo(stored(service, served.keySet()));
    }
  }

  private static Map<Integer, Integer> stored(TestService service, Set<Integer> ids) throws Exception {
    Map<Integer, Integer> stored = new HashMap<>();
    try (Connection c = SurgeTestEnvironment.jdbc(service.pgUrl());
         PreparedStatement st = c.prepareStatement("SELECT id, randomnumber FROM world WHERE id = ANY(?)")) {
      st.setArray(1, c.createArrayOf("integer", ids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getInt(1), rs.getInt(2));
        }
      }
    }
    return stored;
  }
}
