package dev.surge.bench.tfb;

/** A row of the fortune table, as the fortunes page shows it. */
public record Fortune(int id, String message) {
}
