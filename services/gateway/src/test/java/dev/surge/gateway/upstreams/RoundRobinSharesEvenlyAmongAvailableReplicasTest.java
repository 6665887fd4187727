package dev.surge.gateway.upstreams;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica that is down does not hand its share to its neighbour: the others share evenly. */
class RoundRobinSharesEvenlyAmongAvailableReplicasTest {

  @Test
  void turnsGoEvenlyToTheAvailableReplicasOnly() {
    List<Replica> replicas = List.of(new Replica("a:1"), new Replica("b:1"), new Replica("c:1"), new Replica("d:1"));
    replicas.get(1).checked(false);
    Map<Replica, Integer> picks = new HashMap<>();
    for (int turn = 0; turn < 300; turn++) {
      Replica pick = Balancing.ROUND_ROBIN.pickAvailable(replicas, turn, Set.of(), System.nanoTime());
      picks.merge(pick, 1, Integer::sum);
    }
    assertThat(picks).hasSize(3).allSatisfy((replica, count) -> assertThat(count).isEqualTo(100));
  }

  @Test
  void aRetrySkipsTheReplicasTriedThenFallsBackToTheUnavailable() {
    List<Replica> replicas = List.of(new Replica("a:1"), new Replica("b:1"), new Replica("c:1"));
    replicas.get(2).checked(false);
    long now = System.nanoTime();
    for (Balancing balancing : Balancing.values()) {
      assertThat(balancing.pickAvailable(replicas, 0, Set.of(replicas.get(0)), now)).isSameAs(replicas.get(1));
      assertThat(balancing.pickAvailable(replicas, 1, Set.of(replicas.get(0), replicas.get(1)), now))
        .as("none available left untried: one that may have recovered").isSameAs(replicas.get(2));
      assertThat(balancing.pickAvailable(replicas, 0, Set.copyOf(replicas), now)).isNull();
    }
  }
}
