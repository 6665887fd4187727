package dev.surge.bench.tfb;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorldUpdatesTest {

  @Test
  void aRowReadTwiceGetsOneNewNumberShownAndStoredOnce() {
    Map<Integer, Integer> newNumbers = Tfb.newNumbersHolder(3);
    List<World> updated = Tfb.withNewNumbers(List.of(new World(7, 1), new World(3, 2), new World(7, 1)), newNumbers);
    assertThat(updated.get(0).randomNumber()).isEqualTo(updated.get(2).randomNumber());
    assertThat(newNumbers).hasSize(2);
    assertThat(WorldUpdates.parameters(newNumbers).getInteger(0)).as("ids in ascending order").isEqualTo(3);
    assertThat(WorldUpdates.sql(2)).isEqualTo(
      "UPDATE world SET randomnumber = v.r FROM (VALUES ($1::int, $2::int), ($3::int, $4::int)) AS v(id, r) WHERE world.id = v.id");
  }
}
