import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.crf.DenseCrf;
import org.dpn4j.head.DpnHead;
import org.dpn4j.io.Images;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Segmentation;
import org.dpn4j.value.Maps;

/** java SegmentPhoto PHOTO [OUT]: segments a photo with the pretrained CamVid DPN, writes OUT/labels.png. */
public class SegmentPhoto {
  public static void main(String[] args) throws Exception {
    Path photo = Path.of(args[0]);                                      // a JPEG, PNG or BMP
    Path out = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "out"));
    try (DpnModel model = DpnModel.pretrained("camvid")) {              // or DpnModel.load(Path.of("my-model"))
      Segmentation s = model.segment(photo);                            // unary + DPN head, at the photo's size
      int[] labels = s.labels();                                        // H*W label indices, row-major
      float p = s.probabilities().get(0, 20, 10);                       // P(label 0) at y = 20, x = 10
      String name = s.labelSet().names().get(labels[20 * s.width() + 10]);
      System.out.printf("%dx%d; at x=10, y=20: %s, P(%s) = %.3f%n",
          s.width(), s.height(), name, s.labelSet().names().get(0), p);
      LabelMaps.writePng(s.labelImage(), out.resolve("labels.png"));     // as `dpn segment` writes NAME.png
      LabelMaps.writePng(s.overlay(), out.resolve("overlay.png"));

      // The parts: the unary's probabilities (at the size the unary works on), refined by the
      // DPN head b12-b15 at its initial values and by the dense-CRF baseline.
      Maps rgb = model.unaryInput(Images.readRgb(photo));               // 3 x H x W, RGB in [0, 1]
      Maps unary = model.unaryProbabilities(rgb);                       // L x H x W
      Maps refined = DpnHead.initial(unary.c).refine(unary, rgb);       // org.dpn4j.head
      DenseCrf crf = new DenseCrf(rgb.w, rgb.h, unary.c);               // org.dpn4j.crf
      crf.setUnaryFromProbabilities(unary);
      crf.addPairwiseGaussian(3, 3);
      crf.addPairwiseBilateral(80, 13, rgb, 10);
      Maps q = crf.inference(5);
      int[] before = LabelMaps.argmax(unary);
      System.out.printf("pixels changed by the DPN head: %d, by the dense CRF: %d%n",
          changed(before, LabelMaps.argmax(refined)), changed(before, LabelMaps.argmax(q)));
    }
  }

  static int changed(int[] a, int[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      n += a[i] != b[i] ? 1 : 0;
    }
    return n;
  }
}
