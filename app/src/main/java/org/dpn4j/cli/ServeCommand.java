package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.dpn4j.serve.DpnServer;
import org.dpn4j.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dpn serve}: the HTTP API and web page of docs/SERVE.md until stopped (Ctrl-C, SIGTERM). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serves segmentation and refinement over HTTP, with a web page at /.",
    description = {
      "Serves POST /v1/segment, POST /v1/refine, GET /v1/models, /health, /metrics and a web"
          + " page at / (docs/SERVE.md). --model may be given more than once: each model is served"
          + " under its folder name, the first is the default. Models load once, one copy per worker."
          + " Requests beyond the workers and the queue get 429 with Retry-After. Ctrl-C or SIGTERM"
          + " stops it gracefully: requests in flight finish first."
    })
public final class ServeCommand implements Callable<Integer> {

  @Mixin ModelOption model;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
  String host = ServeSettings.DEFAULT_HOST;

  @Option(names = "--port", paramLabel = "N", description = "Port (default ${DEFAULT-VALUE}; 0: any free port).")
  int port = ServeSettings.DEFAULT_PORT;

  @Option(names = "--workers", paramLabel = "N",
      description = "Requests computed at once (default: one per two cores, here ${DEFAULT-VALUE}); the cores are split among them.")
  int workers = ServeSettings.defaultWorkers(Runtime.getRuntime().availableProcessors());

  @Option(names = "--queue", paramLabel = "N", description = "Requests that may wait for a worker (default ${DEFAULT-VALUE}).")
  int queue = ServeSettings.DEFAULT_QUEUE;

  @Option(names = "--max-request-mb", paramLabel = "MB", description = "Largest request body, MiB (default ${DEFAULT-VALUE}).")
  long maxRequestMb = ServeSettings.DEFAULT_MAX_REQUEST_BYTES >> 20;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Path> sources = model.paths();
    int cores = Runtime.getRuntime().availableProcessors();
    ServeSettings settings = new ServeSettings(sources, host, port, workers, queue,
        ServeSettings.threadsPerWorker(cores, workers), maxRequestMb << 20);
    PrintStream log = System.err;
    DpnServer server = DpnServer.start(settings, log);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.println("dpn serve: stopping (finishing the requests in flight) ...");
      server.stop();
      stopped.countDown();
    }, "dpn-serve-stop"));
    log.println(server.describe());
    log.println("dpn serve: open " + server.url() + "/ in a browser; Ctrl-C stops");
    stopped.await();
    return 0;
  }
}
