package org.dpn4j.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.dpn4j.data.LabelSet;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;

/**
 * The models a server answers with, by name, loaded once at start. {@link DpnModel} is not meant
 * for concurrent use, so each model is loaded once per worker and a worker borrows one copy for the
 * time of a request: no two requests ever share a copy, and since there are as many copies as
 * workers, borrowing never waits.
 */
final class ServedModels implements AutoCloseable {

  /** One served model: its name, where it came from, its configuration and the free copies. */
  record Served(String name, Path source, ModelConfig config, BlockingQueue<DpnModel> copies) {

    LabelSet labels() {
      return config.labels();
    }
  }

  private final Map<String, Served> byName = new LinkedHashMap<>();

  private ServedModels() {}

  /** Loads every model {@code copies} times; names (folder names without {@code .zip}) must differ. */
  static ServedModels load(List<Path> sources, int copies) throws IOException {
    ServedModels models = new ServedModels();
    try {
      for (Path source : sources) {
        String name = nameOf(source);
        if (models.byName.containsKey(name)) {
          throw new IllegalArgumentException("two models are named '" + name + "' (" + models.byName.get(name).source()
              + " and " + source + "): models are served by their folder name, which must differ");
        }
        BlockingQueue<DpnModel> free = new ArrayBlockingQueue<>(copies);
        ModelConfig config = null;
        for (int i = 0; i < copies; i++) {
          DpnModel m = DpnModel.load(source);
          free.add(m);
          config = m.config();
        }
        models.byName.put(name, new Served(name, source, config, free));
      }
      return models;
    } catch (IOException | RuntimeException e) {
      models.close();
      throw e;
    }
  }

  /** The name a model is served under: its folder's (or zip's) name without {@code .zip}. */
  static String nameOf(Path source) {
    Path f = source.toAbsolutePath().normalize().getFileName();
    String n = f == null ? "model" : f.toString();
    return n.endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
  }

  /** The model {@code name}, or the first one when {@code name} is null; an unknown name is a 400 listing the names. */
  Served get(String name) {
    if (name == null || name.isEmpty()) {
      return byName.values().iterator().next();
    }
    Served s = byName.get(name);
    if (s == null) {
      throw ApiError.badRequest("no model named '" + name + "'; this server has: " + String.join(", ", byName.keySet()));
    }
    return s;
  }

  /** Every served model, the default first. */
  List<Served> all() {
    return new ArrayList<>(byName.values());
  }

  /** Work done with one copy of a model. */
  @FunctionalInterface
  interface Use<T> {
    T apply(DpnModel model) throws IOException;
  }

  /** Runs {@code use} with a copy of {@code served} borrowed for the call. */
  static <T> T with(Served served, Use<T> use) throws IOException, InterruptedException {
    DpnModel m = served.copies().take();
    try {
      return use.apply(m);
    } finally {
      served.copies().add(m);
    }
  }

  @Override
  public void close() {
    for (Served s : byName.values()) {
      for (DpnModel m : s.copies()) {
        m.close();
      }
    }
  }
}
