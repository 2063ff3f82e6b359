package function;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.alg.scoring.PageRank;
import org.jgrapht.generate.BarabasiAlbertGraphGenerator;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;
import org.jgrapht.util.SupplierUtil;

/**
 * 501.graph-pagerank: PageRank on a generated Barabasi-Albert graph, with JGraphT.
 *
 * <p>As the Python version (igraph's Graph.Barabasi(size, 10) and pagerank()): an undirected graph of
 * {@code size} vertices where each new vertex attaches to 10 existing ones by preferential attachment,
 * seeded with {@code seed}, then PageRank with damping 0.85; the result is the rank of vertex 0. JGraphT's
 * generator starts from a complete graph on min(10, size) vertices (igraph starts from one vertex and lets
 * the first ones attach to fewer), so the graphs differ in detail, not in kind. measurement values are in
 * microseconds.
 */
public final class Function {

  static final int EDGES_PER_VERTEX = 10;
  static final double DAMPING = 0.85;

  private Function() {}

  public static Map<String, Object> handler(Map<String, Object> event) {
    Object sizeValue = event.get("size");
    if (!(sizeValue instanceof Number)) {
      throw new IllegalArgumentException("event['size'] must be a number of vertices, got " + sizeValue);
    }
    int size = ((Number) sizeValue).intValue();
    if (size < 1) {
      throw new IllegalArgumentException("event['size'] must be at least 1, got " + size);
    }
    Object seedValue = event.get("seed");
    long seed = seedValue instanceof Number ? ((Number) seedValue).longValue() : System.nanoTime();

    long start = System.nanoTime();
    Graph<Integer, DefaultEdge> graph =
        new SimpleGraph<>(SupplierUtil.createIntegerSupplier(), SupplierUtil.DEFAULT_EDGE_SUPPLIER, false);
    int initial = Math.min(EDGES_PER_VERTEX, size);
    new BarabasiAlbertGraphGenerator<Integer, DefaultEdge>(initial, initial, size, seed).generateGraph(graph);
    long generated = System.nanoTime();
    double rank = new PageRank<>(graph, DAMPING, 1000, 1e-10).getVertexScore(0);
    long computed = System.nanoTime();

    Map<String, Object> measurement = new LinkedHashMap<>();
    measurement.put("graph_generating_time", (generated - start) / 1e3);
    measurement.put("compute_time", (computed - generated) / 1e3);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("result", rank);
    answer.put("measurement", measurement);
    return answer;
  }
}
