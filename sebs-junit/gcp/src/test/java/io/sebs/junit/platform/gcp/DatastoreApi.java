package io.sebs.junit.platform.gcp;

import com.google.datastore.v1.AllocateIdsRequest;
import com.google.datastore.v1.AllocateIdsResponse;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.BeginTransactionResponse;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.MutationResult;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.RollbackResponse;
import com.google.datastore.v1.RunQueryRequest;
import com.google.datastore.v1.RunQueryResponse;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Datastore API (v1) stand-in, Firestore in Datastore mode as its REST endpoint answers: {@code POST
 * /v1/projects/{project}:lookup|commit|runQuery|beginTransaction|rollback|allocateIds}, with bodies either in
 * protobuf ({@code application/x-protobuf}, what Google's Java client sends) or in JSON (the REST API's, what
 * HTTP clients send), answered in the same form. Entities live in memory per project and database; a database
 * other than {@code (default)} must be {@linkplain #createDatabase created} first, or requests fail with 404
 * as Firestore's do.
 *
 * <p>Queries: one kind, no filter or {@code __key__ HAS_ANCESTOR} and property {@code EQUAL} filters (ANDed),
 * keys-only projections, limit, cursors, and the {@code __kind__} metadata query; results in key order, in
 * batches. Commits apply insert/update/upsert/delete atomically and check what Datastore checks (an indexed
 * string is at most 1500 bytes; {@code exclude_from_indexes} belongs on a list's elements, not on the list).
 *
 * <p>Mount it for the paths {@link #handles} accepts (Workflows also lives under {@code /v1/projects/}).
 */
public final class DatastoreApi implements HttpHandler {

  private static final Pattern PATH = Pattern.compile("/v1/projects/([^/:]+):([a-zA-Z]+)");
  private static final int BATCH = 300;
  private static final String DEFAULT_DATABASE = "(default)";

  private final Predicate<String> authorized;
  private final Set<String> databases = new HashSet<>();
  /** project/database -> key -> entity, in Datastore's key order. */
  private final Map<String, TreeMap<Key, Stored>> data = new HashMap<>();
  private final Set<ByteString> transactions = new HashSet<>();
  private final AtomicLong ids = new AtomicLong(5_000_000_000L);
  private final AtomicLong versions = new AtomicLong(1);
  /** Request content types seen per method ("commit application/x-protobuf"): what the clients sent. */
  private final List<String> seen = new ArrayList<>();

  private record Stored(Entity entity, long version, Timestamp created, Timestamp updated) {}

  /** A request Datastore would refuse: HTTP status, canonical code, message. */
  static final class ApiError extends RuntimeException {
    final int status;
    final com.google.rpc.Code code;

    ApiError(int status, com.google.rpc.Code code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** @param authorized checks the Authorization header's value (null when absent); null = no check (emulators) */
  public DatastoreApi(Predicate<String> authorized) {
    this.authorized = authorized;
  }

  /** Whether a request path is a Datastore method call. */
  public static boolean handles(String path) {
    return PATH.matcher(path).matches();
  }

  /** Creates a named database (as {@code gcloud firestore databases create --type=datastore-mode} does). */
  public synchronized void createDatabase(String project, String database) {
    databases.add(project + "/" + database);
  }

  public synchronized List<String> requestsSeen() {
    return List.copyOf(seen);
  }

  /** Entities stored in a database (all kinds), for tests. */
  public synchronized int size(String project, String database) {
    TreeMap<Key, Stored> entities = data.get(project + "/" + database);
    return entities == null ? 0 : entities.size();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = GcsApi.requestBody(exchange);
      String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
      boolean proto = contentType.startsWith("application/x-protobuf");
      try {
        Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
        if (!m.matches() || !exchange.getRequestMethod().equals("POST")) {
          throw new ApiError(404, com.google.rpc.Code.NOT_FOUND, "Not Found: " + exchange.getRequestMethod() + " "
              + exchange.getRequestURI().getPath());
        }
        if (authorized != null && !authorized.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
          throw new ApiError(401, com.google.rpc.Code.UNAUTHENTICATED, "Request is missing required authentication "
              + "credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        }
        String project = m.group(1);
        String method = m.group(2);
        Message response;
        synchronized (this) {
          seen.add(method + " " + (proto ? "application/x-protobuf" : contentType.split(";")[0]));
          response = call(project, method, body, proto);
        }
        byte[] answer = proto ? response.toByteArray()
            : JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8);
        send(exchange, 200, proto ? "application/x-protobuf" : "application/json; charset=UTF-8", answer);
      } catch (ApiError e) {
        error(exchange, proto, e.status, e.code, e.getMessage());
      } catch (InvalidProtocolBufferException e) {
        error(exchange, proto, 400, com.google.rpc.Code.INVALID_ARGUMENT, "Invalid request body: " + e.getMessage());
      } catch (RuntimeException e) {
        error(exchange, proto, 500, com.google.rpc.Code.INTERNAL, String.valueOf(e));
      }
    }
  }

  private Message call(String project, String method, byte[] body, boolean proto)
      throws InvalidProtocolBufferException {
    switch (method) {
      case "lookup": {
        LookupRequest request = parse(LookupRequest.newBuilder(), body, proto).build();
        return lookup(project, request.getDatabaseId(), request);
      }
      case "commit": {
        CommitRequest request = parse(CommitRequest.newBuilder(), body, proto).build();
        return commit(project, request.getDatabaseId(), request);
      }
      case "runQuery": {
        RunQueryRequest request = parse(RunQueryRequest.newBuilder(), body, proto).build();
        return runQuery(project, request.getDatabaseId(), request);
      }
      case "beginTransaction": {
        BeginTransactionRequest request = parse(BeginTransactionRequest.newBuilder(), body, proto).build();
        database(project, request.getDatabaseId());
        return BeginTransactionResponse.newBuilder().setTransaction(newTransaction()).build();
      }
      case "rollback": {
        RollbackRequest request = parse(RollbackRequest.newBuilder(), body, proto).build();
        database(project, request.getDatabaseId());
        transaction(request.getTransaction());
        transactions.remove(request.getTransaction());
        return RollbackResponse.getDefaultInstance();
      }
      case "allocateIds": {
        AllocateIdsRequest request = parse(AllocateIdsRequest.newBuilder(), body, proto).build();
        database(project, request.getDatabaseId());
        AllocateIdsResponse.Builder response = AllocateIdsResponse.newBuilder();
        for (Key key : request.getKeysList()) {
          response.addKeys(complete(normalize(project, request.getDatabaseId(), key)));
        }
        return response.build();
      }
      default:
        throw new ApiError(404, com.google.rpc.Code.NOT_FOUND, "Unknown method: " + method);
    }
  }

  @SuppressWarnings("unchecked")
  private static <B extends Message.Builder> B parse(B builder, byte[] body, boolean proto)
      throws InvalidProtocolBufferException {
    if (proto) {
      return (B) builder.mergeFrom(body);
    }
    JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), builder);
    return builder;
  }

  // ------------------------------------------------------------------------------------------------ methods

  private LookupResponse lookup(String project, String database, LookupRequest request) {
    TreeMap<Key, Stored> entities = database(project, database);
    LookupResponse.Builder response = LookupResponse.newBuilder();
    readOptions(request.getReadOptions(), response::setTransaction);
    for (Key requested : request.getKeysList()) {
      Key key = normalize(project, database, requested);
      checkComplete(key);
      Stored stored = entities.get(key);
      if (stored == null) {
        response.addMissing(EntityResult.newBuilder().setEntity(Entity.newBuilder().setKey(key))
            .setVersion(versions.get()));
      } else {
        response.addFound(result(stored));
      }
    }
    return response.setReadTime(now()).build();
  }

  private CommitResponse commit(String project, String database, CommitRequest request) {
    TreeMap<Key, Stored> entities = database(project, database);
    if (request.getMode() == CommitRequest.Mode.TRANSACTIONAL
        && request.getTransactionSelectorCase() == CommitRequest.TransactionSelectorCase.TRANSACTION) {
      transaction(request.getTransaction());
    }
    // check every mutation before applying any: a commit is atomic
    TreeMap<Key, Stored> after = new TreeMap<>(entities);
    CommitResponse.Builder response = CommitResponse.newBuilder();
    Timestamp now = now();
    for (Mutation mutation : request.getMutationsList()) {
      long version = versions.incrementAndGet();
      MutationResult.Builder result = MutationResult.newBuilder().setVersion(version).setUpdateTime(now);
      switch (mutation.getOperationCase()) {
        case INSERT:
        case UPDATE:
        case UPSERT: {
          Entity entity = mutation.getOperationCase() == Mutation.OperationCase.INSERT ? mutation.getInsert()
              : mutation.getOperationCase() == Mutation.OperationCase.UPDATE ? mutation.getUpdate()
              : mutation.getUpsert();
          Key key = normalize(project, database, entity.getKey());
          boolean incomplete = isIncomplete(key);
          if (incomplete) {
            key = complete(key);
            result.setKey(key);
          }
          checkEntity(entity);
          Stored current = after.get(key);
          if (mutation.getOperationCase() == Mutation.OperationCase.INSERT && current != null) {
            throw new ApiError(409, com.google.rpc.Code.ALREADY_EXISTS, "entity already exists: " + describe(key));
          }
          if (mutation.getOperationCase() == Mutation.OperationCase.UPDATE && current == null) {
            throw new ApiError(404, com.google.rpc.Code.NOT_FOUND, "no entity to update: " + describe(key));
          }
          after.put(key, new Stored(entity.toBuilder().setKey(key).build(), version,
              current == null ? now : current.created(), now));
          break;
        }
        case DELETE: {
          Key key = normalize(project, database, mutation.getDelete());
          checkComplete(key);
          after.remove(key);
          break;
        }
        default:
          throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "A mutation needs an operation");
      }
      response.addMutationResults(result);
    }
    entities.clear();
    entities.putAll(after);
    if (request.getTransactionSelectorCase() == CommitRequest.TransactionSelectorCase.TRANSACTION) {
      transactions.remove(request.getTransaction());
    }
    return response.setIndexUpdates(request.getMutationsCount()).setCommitTime(now).build();
  }

  private RunQueryResponse runQuery(String project, String database, RunQueryRequest request) {
    TreeMap<Key, Stored> entities = database(project, database);
    if (request.hasGqlQuery()) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "GQL queries are not supported by this stand-in");
    }
    Query query = request.getQuery();
    String namespace = request.getPartitionId().getNamespaceId();
    if (query.getKindCount() != 1) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "This stand-in runs queries of exactly one kind");
    }
    String kind = query.getKind(0).getName();
    boolean keysOnly = query.getProjectionCount() == 1
        && query.getProjection(0).getProperty().getName().equals("__key__");
    List<Stored> matches = new ArrayList<>();
    if (kind.equals("__kind__")) {
      TreeSet<String> kinds = new TreeSet<>();
      for (Key key : entities.keySet()) {
        if (key.getPartitionId().getNamespaceId().equals(namespace)) {
          kinds.add(key.getPath(key.getPathCount() - 1).getKind());
        }
      }
      for (String k : kinds) {
        Key key = Key.newBuilder().setPartitionId(partition(project, database).setNamespaceId(namespace))
            .addPath(Key.PathElement.newBuilder().setKind("__kind__").setName(k)).build();
        matches.add(new Stored(Entity.newBuilder().setKey(key).build(), 1, now(), now()));
      }
      keysOnly = true;
    } else {
      for (Stored stored : entities.values()) {
        Key key = stored.entity().getKey();
        if (key.getPartitionId().getNamespaceId().equals(namespace)
            && key.getPath(key.getPathCount() - 1).getKind().equals(kind)
            && (!query.hasFilter() || matches(query.getFilter(), project, database, stored.entity()))) {
          matches.add(stored);
        }
      }
    }
    if (query.getOrderCount() > 0 && !(query.getOrderCount() == 1
        && query.getOrder(0).getProperty().getName().equals("__key__"))) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "This stand-in orders by __key__ only");
    }
    int start = cursor(query.getStartCursor()) + query.getOffset();
    int limit = query.hasLimit() ? query.getLimit().getValue() : Integer.MAX_VALUE;
    int end = (int) Math.min(matches.size(), Math.min((long) start + limit, (long) start + BATCH));
    QueryResultBatch.Builder batch = QueryResultBatch.newBuilder()
        .setEntityResultType(keysOnly ? EntityResult.ResultType.KEY_ONLY : EntityResult.ResultType.FULL)
        .setSkippedResults(Math.min(query.getOffset(), Math.max(0, matches.size() - cursor(query.getStartCursor()))));
    for (int i = Math.min(start, matches.size()); i < end; i++) {
      EntityResult.Builder result = keysOnly
          ? EntityResult.newBuilder().setEntity(Entity.newBuilder().setKey(matches.get(i).entity().getKey()))
              .setVersion(matches.get(i).version())
          : result(matches.get(i)).toBuilder();
      batch.addEntityResults(result.setCursor(cursor(i + 1)));
    }
    int next = Math.max(end, Math.min(start, matches.size()));
    batch.setEndCursor(cursor(next));
    if (next >= matches.size()) {
      batch.setMoreResults(QueryResultBatch.MoreResultsType.NO_MORE_RESULTS);
    } else if (next - start >= limit) {
      batch.setMoreResults(QueryResultBatch.MoreResultsType.MORE_RESULTS_AFTER_LIMIT);
    } else {
      batch.setMoreResults(QueryResultBatch.MoreResultsType.NOT_FINISHED);
    }
    RunQueryResponse.Builder response = RunQueryResponse.newBuilder().setBatch(batch.setReadTime(now()))
        .setQuery(query);
    readOptions(request.getReadOptions(), response::setTransaction);
    return response.build();
  }

  private boolean matches(Filter filter, String project, String database, Entity entity) {
    if (filter.hasCompositeFilter()) {
      CompositeFilter composite = filter.getCompositeFilter();
      if (composite.getOp() != CompositeFilter.Operator.AND) {
        throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "This stand-in supports AND filters only");
      }
      for (Filter f : composite.getFiltersList()) {
        if (!matches(f, project, database, entity)) {
          return false;
        }
      }
      return true;
    }
    PropertyFilter p = filter.getPropertyFilter();
    String property = p.getProperty().getName();
    if (p.getOp() == PropertyFilter.Operator.HAS_ANCESTOR && property.equals("__key__")) {
      Key ancestor = normalize(project, database, p.getValue().getKeyValue());
      Key key = entity.getKey();
      if (ancestor.getPathCount() > key.getPathCount()) {
        return false;
      }
      return key.getPathList().subList(0, ancestor.getPathCount()).equals(ancestor.getPathList());
    }
    if (p.getOp() == PropertyFilter.Operator.EQUAL) {
      Value value = entity.getPropertiesMap().get(property);
      return value != null && !value.getExcludeFromIndexes()
          && value.toBuilder().clearExcludeFromIndexes().build().equals(p.getValue());
    }
    throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "This stand-in filters with HAS_ANCESTOR on __key__"
        + " and EQUAL only, not " + p.getOp() + " on " + property);
  }

  // ------------------------------------------------------------------------------------------------ checks

  private TreeMap<Key, Stored> database(String project, String database) {
    String id = database == null || database.isEmpty() ? DEFAULT_DATABASE : database;
    if (!id.equals(DEFAULT_DATABASE) && !databases.contains(project + "/" + id)) {
      throw new ApiError(404, com.google.rpc.Code.NOT_FOUND, "The database " + id + " does not exist for project "
          + project + " Please visit https://console.cloud.google.com/datastore/setup?project=" + project
          + " to add a Cloud Datastore or Cloud Firestore database.");
    }
    return data.computeIfAbsent(project + "/" + id, k -> new TreeMap<>(KEY_ORDER));
  }

  private void readOptions(ReadOptions options, java.util.function.Consumer<ByteString> newTransaction) {
    if (options.hasNewTransaction()) {
      newTransaction.accept(newTransaction());
    } else if (options.getConsistencyTypeCase() == ReadOptions.ConsistencyTypeCase.TRANSACTION) {
      transaction(options.getTransaction());
    }
  }

  private ByteString newTransaction() {
    ByteString id = ByteString.copyFromUtf8("tx-" + ids.incrementAndGet());
    transactions.add(id);
    return id;
  }

  private void transaction(ByteString id) {
    if (!transactions.contains(id)) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "The referenced transaction has expired or is no"
          + " longer valid.");
    }
  }

  private static void checkEntity(Entity entity) {
    for (Map.Entry<String, Value> property : entity.getPropertiesMap().entrySet()) {
      checkValue(property.getKey(), property.getValue());
    }
  }

  private static void checkValue(String name, Value value) {
    if (value.hasArrayValue()) {
      if (value.getExcludeFromIndexes()) {
        throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "A Value containing an array cannot have "
            + "exclude_from_indexes set (property \"" + name + "\"): set it on the array's values");
      }
      value.getArrayValue().getValuesList().forEach(v -> checkValue(name, v));
    } else if (value.hasStringValue() && !value.getExcludeFromIndexes()
        && value.getStringValue().getBytes(StandardCharsets.UTF_8).length > 1500) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "The value of property \"" + name + "\" is longer"
          + " than 1500 bytes.");
    } else if (value.hasEntityValue()) {
      checkEntity(value.getEntityValue());
    }
  }

  private static void checkComplete(Key key) {
    if (isIncomplete(key)) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "Key path element must not be incomplete: "
          + describe(key));
    }
  }

  private static boolean isIncomplete(Key key) {
    if (key.getPathCount() == 0) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "A key must have a path");
    }
    for (Key.PathElement element : key.getPathList()) {
      if (element.getKind().isEmpty()) {
        throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "A key path element must have a kind");
      }
      if (element.getKind().matches("__.*__") && !element.getKind().equals("__kind__")) {
        throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "The key path element kind \""
            + element.getKind() + "\" is reserved.");
      }
    }
    Key.PathElement last = key.getPath(key.getPathCount() - 1);
    return last.getIdTypeCase() == Key.PathElement.IdTypeCase.IDTYPE_NOT_SET;
  }

  private Key complete(Key key) {
    int last = key.getPathCount() - 1;
    if (key.getPath(last).getIdTypeCase() != Key.PathElement.IdTypeCase.IDTYPE_NOT_SET) {
      return key;
    }
    return key.toBuilder().setPath(last, key.getPath(last).toBuilder().setId(ids.incrementAndGet())).build();
  }

  /** The key with the request's partition: project and database (empty for the default one), namespace kept. */
  private static Key normalize(String project, String database, Key key) {
    PartitionId.Builder partition = partition(project, database)
        .setNamespaceId(key.getPartitionId().getNamespaceId());
    return key.toBuilder().setPartitionId(partition).build();
  }

  private static PartitionId.Builder partition(String project, String database) {
    PartitionId.Builder partition = PartitionId.newBuilder().setProjectId(project);
    if (database != null && !database.isEmpty() && !database.equals(DEFAULT_DATABASE)) {
      partition.setDatabaseId(database);
    }
    return partition;
  }

  private static String describe(Key key) {
    StringBuilder s = new StringBuilder();
    for (Key.PathElement e : key.getPathList()) {
      s.append(s.length() == 0 ? "" : ", ").append(e.getKind()).append(", ")
          .append(e.getIdTypeCase() == Key.PathElement.IdTypeCase.ID ? Long.toString(e.getId())
              : "\"" + e.getName() + "\"");
    }
    return "Key(" + s + ")";
  }

  /** Datastore's key order: namespace, then path element by element (kind, then ids before names). */
  static final Comparator<Key> KEY_ORDER = (a, b) -> {
    int c = a.getPartitionId().getNamespaceId().compareTo(b.getPartitionId().getNamespaceId());
    if (c != 0) {
      return c;
    }
    for (int i = 0; i < Math.min(a.getPathCount(), b.getPathCount()); i++) {
      Key.PathElement x = a.getPath(i);
      Key.PathElement y = b.getPath(i);
      c = x.getKind().compareTo(y.getKind());
      if (c != 0) {
        return c;
      }
      boolean xId = x.getIdTypeCase() == Key.PathElement.IdTypeCase.ID;
      boolean yId = y.getIdTypeCase() == Key.PathElement.IdTypeCase.ID;
      if (xId != yId) {
        return xId ? -1 : 1;
      }
      c = xId ? Long.compare(x.getId(), y.getId()) : x.getName().compareTo(y.getName());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.getPathCount(), b.getPathCount());
  };

  private static EntityResult result(Stored stored) {
    return EntityResult.newBuilder().setEntity(stored.entity()).setVersion(stored.version())
        .setCreateTime(stored.created()).setUpdateTime(stored.updated()).build();
  }

  private static ByteString cursor(int position) {
    return ByteString.copyFromUtf8("at:" + position);
  }

  private static int cursor(ByteString cursor) {
    if (cursor.isEmpty()) {
      return 0;
    }
    String s = cursor.toStringUtf8();
    if (!s.startsWith("at:")) {
      throw new ApiError(400, com.google.rpc.Code.INVALID_ARGUMENT, "Invalid cursor");
    }
    return Integer.parseInt(s.substring(3));
  }

  private static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  // ------------------------------------------------------------------------------------------------ wire

  private static void error(HttpExchange exchange, boolean proto, int status, com.google.rpc.Code code,
      String message) throws IOException {
    if (proto) { // the Java client parses a google.rpc.Status from protobuf error bodies
      send(exchange, status, "application/x-protobuf", com.google.rpc.Status.newBuilder().setCode(code.getNumber())
          .setMessage(message).build().toByteArray());
      return;
    }
    String json = "{\"error\":{\"code\":" + status + ",\"message\":" + quote(message) + ",\"status\":\""
        + code.name() + "\"}}";
    send(exchange, status, "application/json; charset=UTF-8", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
