package org.dpn4j.util;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.dpn4j.crf.Compatibility;
import org.dpn4j.crf.DenseCrf;
import org.dpn4j.crf.Normalisation;
import org.dpn4j.head.DpnHead;
import org.dpn4j.value.Maps;

/**
 * Every kernel of dpn4j on fixed random inputs: the DPN head (b12-b15 forward and backward) and
 * the dense CRF. {@link PlainPathTest} runs it in this JVM and in one without the Vector API and
 * compares. {@code main(out)} writes the outputs to a file (name, count, floats).
 */
public final class KernelProbe {

  private KernelProbe() {}

  /** The outputs by name. */
  public static Map<String, float[]> outputs() {
    Random rnd = new Random(13);
    int labels = 11;
    int h = 61;
    int w = 83;
    Maps p = softmax(random(rnd, labels, h, w, 4f));
    Maps image = random(rnd, 3, h, w, 1f);
    DpnHead head = DpnHead.initial(labels);
    DpnHead.Stages s = head.forward(p, image);
    Maps gradOut = random(rnd, labels, h, w, 1f);
    DpnHead.Gradients g = head.backward(p, image, s, gradOut);
    Map<String, float[]> out = new LinkedHashMap<>();
    out.put("b12", s.b12().data);
    out.put("b13", s.b13().data);
    out.put("b14", s.b14().data);
    out.put("b15", s.b15().data);
    out.put("dP", g.p().data);
    out.put("db12 colour", g.b12().colourWeight());
    out.put("db12 position", g.b12().positionWeight());
    out.put("db13", g.b13().weights());
    DenseCrf crf = new DenseCrf(w, h, labels);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseGaussian(3, 3);
    float[][] mu = new float[labels][labels];
    for (int u = 0; u < labels; u++) {
      for (int v = 0; v < labels; v++) {
        mu[u][v] = u == v ? 0 : 1 + 0.1f * ((u + v) % 5);
      }
    }
    byte[] rgb = new byte[3 * h * w];
    rnd.nextBytes(rgb);
    crf.addPairwiseBilateral(20, 13, rgb, Compatibility.matrix(mu), Normalisation.SYMMETRIC, true);
    out.put("dense CRF", crf.inference(5).data);
    return out;
  }

  private static Maps random(Random rnd, int c, int h, int w, float scale) {
    Maps m = new Maps(c, h, w);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = rnd.nextFloat() * scale;
    }
    return m;
  }

  private static Maps softmax(Maps logits) {
    Maps p = logits.zerosLike();
    int plane = logits.plane();
    for (int i = 0; i < plane; i++) {
      double sum = 0;
      for (int c = 0; c < logits.c; c++) {
        sum += Math.exp(logits.data[c * plane + i]);
      }
      for (int c = 0; c < logits.c; c++) {
        p.data[c * plane + i] = (float) (Math.exp(logits.data[c * plane + i]) / sum);
      }
    }
    return p;
  }

  /** Writes {@link #outputs()} to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    System.out.println("vector=" + Simd.VECTOR);
    try (OutputStream os = Files.newOutputStream(Path.of(args[0]));
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
      for (Map.Entry<String, float[]> e : outputs().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float v : e.getValue()) {
          out.writeFloat(v);
        }
      }
    }
  }
}
