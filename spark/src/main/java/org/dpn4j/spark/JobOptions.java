package org.dpn4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpn4j.model.DefaultModel;
import org.dpn4j.util.Installation;
import picocli.CommandLine.Option;

/** The options every Spark command shares: where it runs, with which model, on how many threads (a picocli mixin). */
public final class JobOptions {

  @Option(names = "--master", paramLabel = "URL",
      description = "local[*] (default: in this JVM, all cores), local[N], or a cluster's spark://HOST:PORT."
          + " Under spark-submit its --master counts.")
  String master;

  @Option(names = "--model", paramLabel = "M",
      description = "A model directory or zip, or the name of a shipped model under models/ (default: models/"
          + DefaultModel.NAME + ", or $" + DefaultModel.ENV + "). Shipped to every executor with the job.")
  String model;

  @Option(names = "--threads", paramLabel = "N",
      description = "Engine and kernel threads per executor (default: the executor's cores: N of local[N],"
          + " spark.executor.cores, else the machine's cores).")
  Integer threads;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. spark.executor.memory=2g (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  /** The model's path: an existing path wins over a name; a name is a folder of the repository's models/. */
  Path modelPath() throws IOException {
    if (model == null) {
      return DefaultModel.path();
    }
    Path p = Path.of(model);
    if (Files.exists(p)) {
      return p;
    }
    return Installation.file("models/" + model)
        .orElseThrow(() -> new IOException(model + ": no such model (a model directory or zip, or a name under models/)"));
  }
}
