package org.dpn4j.cli;

import java.nio.file.Path;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.OutputException;
import picocli.CommandLine.Option;

/** {@code --out DIR}, the folder a command writes its files into (a picocli mixin), created when it writes. */
final class OutFolderOption {

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
  Path dir;

  /** The file {@code name} in the folder. */
  Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Creates the folder, and its parents, where missing. */
  void create() throws OutputException {
    AtomicFiles.createFolder(dir);
  }
}
