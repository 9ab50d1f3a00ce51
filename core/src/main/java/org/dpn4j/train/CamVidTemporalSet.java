package org.dpn4j.train;

import org.dpn4j.video.CamVidSequences;
import org.dpn4j.video.FlowMethod;
import org.dpn4j.video.NodeLinks;

import org.dpn4j.head.TriplePenalty3d;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dpn4j.data.CamVidDataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.value.Maps;
import org.dpn4j.io.FloFile;
import org.dpn4j.io.Images;
import org.dpn4j.io.Npy;
import org.dpn4j.model.DpnModel;
import org.dpn4j.util.FileNames;

/**
 * CamVid splits' labelled frames with their neighbours (DESIGN.md "Spatio-temporal DPN": t-1, t+1
 * are the neighbouring labelled frames of the same sequence, {@link CamVidSequences}) as training
 * examples for the spatio-temporal head on a frozen unary. The frozen parts are computed once and
 * cached on disk under {@code cache}: each frame's unary probabilities p = softmax(b11) at the
 * model's working size ({@code probs/NAME.npy}, float32 L x H x W) and the flow between each pair of
 * neighbours, both ways ({@code flow/A__B.flo}, {@link FlowMethod} on the working-size frames). An
 * example is then frame t's p, colours and labels with each neighbour's p and colours warped into
 * frame t along the node links; a frame at a sequence's end has only the neighbour it has.
 *
 * <p>The cache holds no record of the model or the flow method: a cache directory belongs to one
 * run (one model, one method).
 */
public final class CamVidTemporalSet implements TemporalHeadTrainer.Examples {

  /** Frame t of a sequence: its sample (photo and labels) and its neighbours' photos (null at an end). */
  private record Ref(Sample sample, Path previous, Path next) {}

  /** Hears about the cache being filled: what (probabilities, flows), how many done of how many. */
  @FunctionalInterface
  public interface Progress {
    void done(String what, int done, int total);
  }

  private final DpnModel model;
  private final FlowMethod flow;
  private final Path cache;
  private final List<Ref> frames = new ArrayList<>();
  private final CamVidDataset dataset;

  private CamVidTemporalSet(DpnModel model, FlowMethod flow, Path cache, CamVidDataset dataset) {
    this.model = model;
    this.flow = flow;
    this.cache = cache;
    this.dataset = dataset;
  }

  /**
   * The frames of {@code splits} under the CamVid folder {@code root}, with the cache under
   * {@code cache} filled (what is already there is kept). The splits' frames are one set: a
   * sequence in two splits (CamVid's 0016E5, in train and val) is one sequence, its neighbours the
   * nearest labelled frames of either.
   */
  public static CamVidTemporalSet open(DpnModel model, Path root, List<String> splits, FlowMethod flow, Path cache,
      Progress progress) throws IOException {
    if (model.config().input().longSide() != 0) {
      throw new IllegalArgumentException("training the spatio-temporal head needs a model that runs at the image's size"
          + " (input.longSide 0), so that the labels fit its probabilities; this one has longSide "
          + model.config().input().longSide());
    }
    CamVidDataset dataset = new CamVidDataset(root);
    Map<Path, Sample> byImage = new HashMap<>();
    for (Sample s : Datasets.samples(dataset, splits)) {
      byImage.put(s.image().toAbsolutePath().normalize(), s);
    }
    CamVidTemporalSet set = new CamVidTemporalSet(model, flow, cache, dataset);
    for (CamVidSequences.Sequence seq : CamVidSequences.group(new ArrayList<>(byImage.keySet()))) {
      for (int i = 0; i < seq.frames().size(); i++) {
        set.frames.add(new Ref(byImage.get(seq.frames().get(i)), seq.previous(i), seq.next(i)));
      }
    }
    set.fill(progress);
    return set;
  }

  @Override
  public int size() {
    return frames.size();
  }

  /** The name of frame {@code index} (its file's stem). */
  public String name(int index) {
    return frames.get(index).sample().name();
  }

  @Override
  public TemporalHeadTrainer.Example get(int index) throws IOException {
    Ref r = frames.get(index);
    LabelledImage t = dataset.read(r.sample());
    Maps p = probabilities(r.sample().image());
    return new TemporalHeadTrainer.Example(new TriplePenalty3d.Frames(p, t.image(),
        neighbour(r.sample().image(), r.previous()), neighbour(r.sample().image(), r.next())), t.labels());
  }

  private TriplePenalty3d.Neighbour neighbour(Path t, Path s) throws IOException {
    if (s == null) {
      return null;
    }
    NodeLinks links = NodeLinks.between(FloFile.read(flowFile(t, s)), FloFile.read(flowFile(s, t)));
    return TriplePenalty3d.Neighbour.warped(links, probabilities(s), Images.readRgb(s));
  }

  private Maps probabilities(Path image) throws IOException {
    Path f = probsFile(image);
    Npy.NpyArray a = Npy.read(f);
    int[] shape = a.shape();
    if (shape.length != 3 || shape[0] != model.config().numLabels()) {
      throw new IOException(f + ": cached probabilities of shape " + Arrays.toString(shape)
          + ", expected " + model.config().numLabels() + " x H x W (a cache of another model? remove it)");
    }
    return new Maps(shape[0], shape[1], shape[2], a.toFloats());
  }

  private Path probsFile(Path image) {
    return cache.resolve("probs").resolve(FileNames.stem(image) + ".npy");
  }

  private Path flowFile(Path from, Path to) {
    return cache.resolve("flow").resolve(FileNames.stem(from) + "__" + FileNames.stem(to) + ".flo");
  }

  /** Computes what the cache lacks: each frame's probabilities, then the flows between neighbours. */
  private void fill(Progress progress) throws IOException {
    int done = 0;
    for (Ref r : frames) {
      Path f = probsFile(r.sample().image());
      if (!Files.exists(f)) {
        Maps p = model.unaryProbabilities(model.unaryInput(Images.readRgb(r.sample().image())));
        Npy.writeFloat32(f, p.data, p.c, p.h, p.w);
      }
      progress.done("probabilities", ++done, frames.size());
    }
    done = 0;
    for (Ref r : frames) {
      if (r.next() != null) {
        Path a = r.sample().image();
        Path b = r.next();
        if (!Files.exists(flowFile(a, b)) || !Files.exists(flowFile(b, a))) {
          Maps ia = Images.readRgb(a);
          Maps ib = Images.readRgb(b);
          FloFile.write(flowFile(a, b), flow.compute(ia, ib));
          FloFile.write(flowFile(b, a), flow.compute(ib, ia));
        }
      }
      progress.done("flows", ++done, frames.size());
    }
  }
}
