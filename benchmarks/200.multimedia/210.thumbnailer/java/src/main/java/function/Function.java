package function;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import sebs.storage.Storage;

/**
 * 210.thumbnailer: shrink an image from object storage to a thumbnail with the JDK's ImageIO and Java2D
 * (headless).
 *
 * <p>As the Python version (Pillow's Image.thumbnail): the image is read into memory (downloadStream),
 * shrunk so that it fits inside object.width x object.height with its aspect ratio kept and never
 * enlarged (the same size rule as Pillow), encoded as JPEG (quality 75, Pillow's default) and written
 * back (uploadStream) under the output prefix. Shrinking halves the image with bilinear filtering while
 * it is at least twice the target, then does one bicubic step, which avoids the aliasing of a single
 * large bicubic step. measurement values are microseconds (times) and bytes (sizes).
 */
public final class Function {

  static final String OUTPUT_FORMAT = "JPEG";
  static final String OUTPUT_EXTENSION = ".jpg";
  static final float JPEG_QUALITY = 0.75f;

  static {
    ImageIO.setUseCache(false); // encode in memory, not through a temporary file
  }

  private Function() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> handler(Map<String, Object> event) throws IOException {
    Map<String, Object> bucketConfig = (Map<String, Object>) event.get("bucket");
    Map<String, Object> object = (Map<String, Object>) event.get("object");
    String bucket = (String) bucketConfig.get("bucket");
    String inputPrefix = (String) bucketConfig.get("input");
    String outputPrefix = (String) bucketConfig.get("output");
    String key = URLDecoder.decode((String) object.get("key"), StandardCharsets.UTF_8);
    int width = toInt(object.get("width"), "object.width");
    int height = toInt(object.get("height"), "object.height");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("object.width and object.height must be positive, got " + width + " x "
          + height);
    }
    Storage client = Storage.getInstance();

    long downloadBegin = System.nanoTime();
    byte[] data = client.downloadStream(bucket, inputPrefix + "/" + key);
    long downloadEnd = System.nanoTime();

    long computeBegin = System.nanoTime();
    BufferedImage source = ImageIO.read(new ByteArrayInputStream(data));
    if (source == null) {
      throw new IOException("ImageIO cannot read " + key + " (" + data.length + " bytes): not an image in a format"
          + " the JDK decodes (PNG, JPEG, GIF, BMP, WBMP, TIFF)");
    }
    int[] size = thumbnailSize(source.getWidth(), source.getHeight(), width, height);
    BufferedImage thumbnail = resize(source, size[0], size[1]);
    byte[] jpeg = encodeJpeg(thumbnail);
    long computeEnd = System.nanoTime();

    int dot = key.lastIndexOf('.');
    String stem = dot > key.lastIndexOf('/') + 1 ? key.substring(0, dot) : key;
    long uploadBegin = System.nanoTime();
    String resultKey = client.uploadStream(bucket, outputPrefix + "/" + stem + OUTPUT_EXTENSION, jpeg);
    long uploadEnd = System.nanoTime();

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("bucket", bucket);
    result.put("key", resultKey);
    result.put("width", thumbnail.getWidth());
    result.put("height", thumbnail.getHeight());
    result.put("format", OUTPUT_FORMAT);
    result.put("source_width", source.getWidth());
    result.put("source_height", source.getHeight());
    Map<String, Object> measurement = new LinkedHashMap<>();
    measurement.put("download_time", (downloadEnd - downloadBegin) / 1e3);
    measurement.put("download_size", data.length);
    measurement.put("compute_time", (computeEnd - computeBegin) / 1e3);
    measurement.put("upload_time", (uploadEnd - uploadBegin) / 1e3);
    measurement.put("upload_size", jpeg.length);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("result", result);
    answer.put("measurement", measurement);
    return answer;
  }

  private static int toInt(Object value, String name) {
    if (value instanceof Number) {
      return ((Number) value).intValue();
    }
    if (value instanceof String) {
      return Integer.parseInt(((String) value).strip());
    }
    throw new IllegalArgumentException(name + " must be an integer, got " + value);
  }

  /**
   * The size Pillow's Image.thumbnail((boxWidth, boxHeight)) gives: unchanged when the image fits the
   * box; otherwise the side that limits keeps the box's length and the other is the rounding (down or
   * up, whichever keeps the aspect ratio closer) of the scaled length, at least 1.
   */
  static int[] thumbnailSize(int width, int height, int boxWidth, int boxHeight) {
    if (boxWidth >= width && boxHeight >= height) {
      return new int[] {width, height};
    }
    double aspect = (double) width / height;
    int x = boxWidth;
    int y = boxHeight;
    if ((double) x / y >= aspect) {
      double exact = y * aspect;
      int down = (int) Math.floor(exact);
      int up = (int) Math.ceil(exact);
      // Pillow: min((floor, ceil), key=lambda n: abs(aspect - n / y)); the first wins a tie
      x = Math.abs(aspect - (double) down / y) <= Math.abs(aspect - (double) up / y) ? down : up;
      x = Math.max(x, 1);
    } else {
      double exact = x / aspect;
      int down = (int) Math.floor(exact);
      int up = (int) Math.ceil(exact);
      double downError = down == 0 ? 0 : Math.abs(aspect - (double) x / down);
      double upError = up == 0 ? 0 : Math.abs(aspect - (double) x / up);
      y = downError <= upError ? down : up;
      y = Math.max(y, 1);
    }
    return new int[] {x, y};
  }

  /** The image as RGB (JPEG holds neither alpha nor palettes) at exactly width x height. */
  static BufferedImage resize(BufferedImage source, int width, int height) {
    BufferedImage current = source;
    int w = source.getWidth();
    int h = source.getHeight();
    while (w / 2 >= width && h / 2 >= height) {
      w /= 2;
      h /= 2;
      current = scale(current, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
    if (w != width || h != height || current.getType() != BufferedImage.TYPE_INT_RGB) {
      current = scale(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }
    return current;
  }

  private static BufferedImage scale(BufferedImage image, int width, int height, Object interpolation) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static byte[] encodeJpeg(BufferedImage image) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("the JDK has no JPEG writer");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
