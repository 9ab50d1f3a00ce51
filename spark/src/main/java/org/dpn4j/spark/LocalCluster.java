package org.dpn4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.launcher.JavaModuleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A Spark standalone cluster on this machine: a master and workers, each its own JVM, started from
 * the Spark jars dpn4j-spark was built with (a SPARK_HOME whose {@code jars/} are those jars). Each
 * worker starts the executors of a job in JVMs of their own, as on a real cluster. For trying the
 * cluster path and for the tests; a real cluster runs Spark's own distribution.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    header = "Starts a Spark standalone cluster on this machine (master and workers) until interrupted.",
    description = {
      "Starts a Spark master and --workers workers on this machine, each a JVM of its own, and prints the",
      "master's URL for --master of the other commands. Stops them on Ctrl-C; their logs are in the printed folder."
    })
public final class LocalCluster implements Callable<Integer>, AutoCloseable {

  @Spec CommandSpec spec;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--cores", defaultValue = "1", paramLabel = "N", description = "Cores each worker offers (default: ${DEFAULT-VALUE}).")
  int cores;

  @Option(names = "--memory", defaultValue = "1g", paramLabel = "SIZE", description = "Memory each worker offers its executors (default: ${DEFAULT-VALUE}).")
  String memory;

  private final List<Process> processes = new ArrayList<>();
  private Path home;
  private String url;

  /** For picocli. */
  public LocalCluster() {}

  /** A cluster of {@code workers} workers of {@code cores} cores and {@code memory} (e.g. "1g") each, not started yet. */
  public LocalCluster(int workers, int cores, String memory) {
    this.workers = workers;
    this.cores = cores;
    this.memory = memory;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    start();
    out.println(url);
    out.println("logs: " + home);
    out.flush();
    for (Process p : processes) {
      p.waitFor();
    }
    return 0;
  }

  /**
   * Starts the master and the workers and waits until the master listens; returns its URL,
   * spark://127.0.0.1:PORT. The daemons' logs and the workers' work/ (executor logs) are in a
   * temporary SPARK_HOME.
   */
  public String start() throws IOException, InterruptedException {
    home = Files.createTempDirectory("dpn-spark-home-");
    Files.createSymbolicLink(home.resolve("jars"), sparkJars().toAbsolutePath());
    int port = freePort();
    url = "spark://127.0.0.1:" + port;
    launch("master", "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
    awaitPort(port);
    for (int i = 1; i <= workers; i++) {
      launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--cores", Integer.toString(cores), "--memory", memory, "--webui-port", Integer.toString(freePort()), url);
    }
    return url;
  }

  /** Stops the workers (and with them their executors) and the master. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    processes.clear();
  }

  private void launch(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    cmd.addAll(List.of("-Xmx256m", "-cp", home.resolve("jars") + "/*", mainClass));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(home.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_LOG_DIR", home.toString());
    // What Spark's scripts (load-spark-env.sh) set: the launcher of the executors' JVMs needs it.
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    processes.add(pb.start());
  }

  /** The Spark jars beside this module's code: target/spark-jars (./dpn spark's build and the tests). */
  static Path sparkJars() throws IOException {
    try {
      Path code = Path.of(LocalCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path jars = code.resolveSibling("spark-jars");
      if (!Files.isDirectory(jars)) {
        throw new IOException(jars + ": no Spark jars (built by mvn package -pl spark)");
      }
      return jars;
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate dpn4j-spark's code: " + e.getMessage(), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitPort(int port) throws IOException, InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (!processes.get(0).isAlive()) {
        throw new IOException("the Spark master did not start: " + home.resolve("master.log"));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException("the Spark master is not listening after 60 s: " + home.resolve("master.log"));
  }
}
