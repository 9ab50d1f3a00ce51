package org.dpn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dpn4j.io.Safetensors;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.io.WeightFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dpn inspect FILE}: the tensors of a safetensors file or a TFLite model, one per line. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    header = "Lists the tensors of a safetensors or TFLite file.",
    description = {
      "Lists the tensors of a weight file (safetensors or TFLite, recognised by content): name, shape, "
          + "type, and for TFLite the quantisation and the kind (const, input, output, act), then a summary "
          + "line. Parameters count the elements of constant tensors."
    })
public final class InspectCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "A .safetensors or .tflite file.")
  Path file;

  @Option(names = "--json", description = "Print a JSON array of tensors instead of the table.")
  boolean json;

  @Spec CommandSpec spec;

  /** One listed tensor; {@code index}, {@code quantization} and {@code kind} only for TFLite. */
  private record Row(int subgraph, int index, String name, long[] shape, String dtype, TfLiteModel.Quantization quantization,
      String kind, long elements, boolean constant) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try {
      WeightFormat format = WeightFormat.detect(file);
      List<Row> rows = format == WeightFormat.SAFETENSORS ? safetensorsRows() : tfliteRows();
      if (json) {
        out.println(toJson(rows));
      } else {
        printTable(out, rows, format);
      }
      out.flush();
      return 0;
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException("no such file: " + e.getMessage());
    }
  }

  private List<Row> safetensorsRows() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Safetensors.Info i : Safetensors.open(file).tensors()) {
      rows.add(new Row(0, -1, i.name(), i.shape(), i.dtype().name(), null, null, i.elements(), true));
    }
    return rows;
  }

  private List<Row> tfliteRows() throws IOException {
    List<Row> rows = new ArrayList<>();
    List<TfLiteModel.Subgraph> subgraphs = TfLiteModel.open(file).subgraphs();
    for (int s = 0; s < subgraphs.size(); s++) {
      TfLiteModel.Subgraph g = subgraphs.get(s);
      for (TfLiteModel.Tensor t : g.tensors()) {
        long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
        rows.add(new Row(s, t.index(), t.name(), shape, t.type().name(), t.quantization(), kind(g, t), t.elements(),
            t.isConstant()));
      }
    }
    return rows;
  }

  private static String kind(TfLiteModel.Subgraph g, TfLiteModel.Tensor t) {
    if (t.isConstant()) {
      return "const";
    }
    if (Arrays.stream(g.inputs()).anyMatch(i -> i == t.index())) {
      return "input";
    }
    return Arrays.stream(g.outputs()).anyMatch(i -> i == t.index()) ? "output" : "act";
  }

  /**
   * Safetensors: name, shape, type. TFLite (long, ';'-joined names): index, shape, type, kind,
   * quantisation, then the name last, so that the columns stay aligned.
   */
  private void printTable(PrintWriter out, List<Row> rows, WeightFormat format) throws IOException {
    int nameWidth = Math.min(48, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
    int lastSubgraph = -1;
    boolean manySubgraphs = rows.stream().anyMatch(r -> r.subgraph() > 0);
    for (Row r : rows) {
      if (manySubgraphs && r.subgraph() != lastSubgraph) {
        out.println("# subgraph " + r.subgraph());
        lastSubgraph = r.subgraph();
      }
      String shape = shapeString(r.shape());
      String line = r.kind() == null
          ? String.format(Locale.ROOT, "%-" + nameWidth + "s  %-16s  %s", r.name(), shape, r.dtype())
          : String.format(Locale.ROOT, "%4d  %-14s  %-4s  %-6s  %-40s  %s", r.index(), shape, r.dtype(), r.kind(),
              r.quantization() == null ? "-" : r.quantization().brief(), r.name());
      out.println(line);
    }
    long constants = rows.stream().filter(Row::constant).count();
    long parameters = rows.stream().filter(Row::constant).mapToLong(Row::elements).sum();
    out.println(String.format(Locale.ROOT, "%d tensors%s, %,d parameters, %,d bytes (%s)", rows.size(),
        constants == rows.size() ? "" : " (" + constants + " constant)", parameters, Files.size(file),
        format.name().toLowerCase(Locale.ROOT)));
  }

  private static String shapeString(long[] shape) {
    return shape.length == 0 ? "scalar"
        : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
  }

  private static String toJson(List<Row> rows) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    for (Row r : rows) {
      ObjectNode o = array.addObject();
      o.put("name", r.name());
      Arrays.stream(r.shape()).forEach(o.putArray("shape")::add);
      o.put("dtype", r.dtype());
      if (r.kind() != null) {
        o.put("subgraph", r.subgraph());
        o.put("index", r.index());
        o.put("kind", r.kind());
        TfLiteModel.Quantization q = r.quantization();
        if (q == null) {
          o.putNull("quantization");
        } else {
          ObjectNode qo = o.putObject("quantization");
          ArrayNode scale = qo.putArray("scale");
          for (float s : q.scale()) {
            scale.add(s);
          }
          Arrays.stream(q.zeroPoint()).forEach(qo.putArray("zero_point")::add);
          qo.put("quantized_dimension", q.quantizedDimension());
        }
      }
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array);
  }
}
