package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.sebs.junit.benchmark.Language;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Azure Resource Manager operations the azure platform uses, checked as Azure checks them: a bearer token,
 * an {@code api-version}, the subscription, and for function apps Flex Consumption's rules (an FC1 plan, a
 * runtime and version Flex offers, instance memory 512/2048/4096 MB, 40-1000 maximum instances, a blob
 * deployment container whose connection string setting exists, no {@code FUNCTIONS_WORKER_RUNTIME} or {@code
 * FUNCTIONS_EXTENSION_VERSION} setting). Resource groups, storage accounts (created as a long-running operation:
 * 202, then polled), blob containers, a Log Analytics workspace, Application Insights components, plans, sites
 * with their app settings, functions and function keys (listed flat, as the service does). Sites are {@link
 * FunctionAppStandIn}s that run what is deployed to them.
 */
final class ResourceManagerStandIn implements AutoCloseable {

  private static final Pattern GROUP = Pattern.compile("(?i)^/subscriptions/([^/]+)/resourcegroups/([^/]+)(/.*)?$");
  private static final Pattern OPERATION =
      Pattern.compile("(?i)^/subscriptions/([^/]+)/providers/microsoft\\.storage/locations/[^/]+/asyncoperations/([^/]+)$");

  private final String subscription;
  private final String token;
  private final Path workDir;
  private final String blobEndpoint;
  private final String storageKey;
  private final String cosmosEndpoint;
  private final String cosmosKey;
  private final AppInsightsStandIn insights;
  private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
  private final Map<String, FunctionAppStandIn> apps = new LinkedHashMap<>();
  private final Map<String, Integer> operations = new LinkedHashMap<>();
  private final Map<String, ObjectNode> operationResults = new LinkedHashMap<>();
  private final List<String> requests = new ArrayList<>();
  private final Map<String, JsonNode> bodies = new LinkedHashMap<>();
  private String base;

  ResourceManagerStandIn(String subscription, String token, Path workDir, String blobEndpoint, String storageKey,
      String cosmosEndpoint, String cosmosKey, AppInsightsStandIn insights) {
    this.cosmosEndpoint = cosmosEndpoint;
    this.cosmosKey = cosmosKey;
    this.subscription = subscription;
    this.token = token;
    this.workDir = workDir;
    this.blobEndpoint = blobEndpoint;
    this.storageKey = storageKey;
    this.insights = insights;
  }

  void base(String base) {
    this.base = base;
  }

  /** "METHOD path?api-version=..." of every request, in order. */
  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** The last body sent to "METHOD path" (lowercase path), if any. */
  synchronized JsonNode lastBody(String methodAndPath) {
    return bodies.get(methodAndPath.toLowerCase(Locale.ROOT));
  }

  synchronized FunctionAppStandIn app(String name) {
    return apps.get(name.toLowerCase(Locale.ROOT));
  }

  synchronized List<String> appNames() {
    return apps.values().stream().map(FunctionAppStandIn::name).toList();
  }

  void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    // a request target starting with "//" parses as an authority: put it back into the path
    java.net.URI target = exchange.getRequestURI();
    String path = ((target.getRawAuthority() == null ? "" : "/" + target.getRawAuthority()) + target.getPath())
        .replaceAll("/{2,}", "/");
    Map<String, String> query = ArmHttp.query(exchange);
    synchronized (this) {
      requests.add(method + " " + path + "?api-version=" + query.getOrDefault("api-version", ""));
    }
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      ArmHttp.error(exchange, 401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is"
          + " missing or has an invalid token.");
      return;
    }
    if (!query.containsKey("api-version")) {
      ArmHttp.error(exchange, 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=)"
          + " is required for all requests.");
      return;
    }
    Matcher operation = OPERATION.matcher(path);
    if (operation.matches()) {
      operation(exchange, operation.group(2));
      return;
    }
    Matcher group = GROUP.matcher(path);
    if (!group.matches()) {
      ArmHttp.error(exchange, 404, "NotFound", "No route for " + method + " " + path);
      return;
    }
    if (!group.group(1).equals(subscription)) {
      ArmHttp.error(exchange, 404, "SubscriptionNotFound", "The subscription '" + group.group(1)
          + "' could not be found.");
      return;
    }
    String rg = group.group(2);
    String rest = group.group(3) == null ? "" : group.group(3);
    byte[] body = ArmHttp.body(exchange);
    JsonNode json = body.length == 0 ? ArmHttp.JSON.createObjectNode() : ArmHttp.JSON.readTree(body);
    synchronized (this) {
      if (body.length > 0) {
        bodies.put((method + " " + path).toLowerCase(Locale.ROOT), json);
      }
      if (rest.isEmpty()) {
        resourceGroup(exchange, method, rg, json);
      } else if (!resources.containsKey(groupId(rg).toLowerCase(Locale.ROOT))) {
        ArmHttp.error(exchange, 404, "ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
      } else {
        provider(exchange, method, rg, rest, json);
      }
    }
  }

  private String groupId(String rg) {
    return "/subscriptions/" + subscription + "/resourceGroups/" + rg;
  }

  private void resourceGroup(HttpExchange exchange, String method, String rg, JsonNode json) throws IOException {
    String id = groupId(rg);
    switch (method) {
      case "PUT": {
        boolean created = !resources.containsKey(id.toLowerCase(Locale.ROOT));
        ObjectNode group = ArmHttp.JSON.createObjectNode().put("id", id).put("name", rg)
            .put("type", "Microsoft.Resources/resourceGroups").put("location", json.path("location").asText());
        group.set("tags", json.path("tags").deepCopy());
        group.putObject("properties").put("provisioningState", "Succeeded");
        resources.put(id.toLowerCase(Locale.ROOT), group);
        ArmHttp.json(exchange, created ? 201 : 200, group);
        return;
      }
      case "GET": {
        ObjectNode group = resources.get(id.toLowerCase(Locale.ROOT));
        if (group == null) {
          ArmHttp.error(exchange, 404, "ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        } else {
          ArmHttp.json(exchange, 200, group);
        }
        return;
      }
      case "DELETE": {
        String prefix = id.toLowerCase(Locale.ROOT);
        resources.keySet().removeIf(k -> k.startsWith(prefix));
        apps.values().forEach(FunctionAppStandIn::close);
        apps.clear();
        ArmHttp.json(exchange, 200, "");
        return;
      }
      default:
        ArmHttp.error(exchange, 405, "MethodNotAllowed", method);
    }
  }

  private void provider(HttpExchange exchange, String method, String rg, String rest, JsonNode json)
      throws IOException {
    String id = groupId(rg) + rest;
    String key = id.toLowerCase(Locale.ROOT);
    String lower = rest.toLowerCase(Locale.ROOT);
    String[] parts = rest.split("/");
    // parts: "", "providers", namespace, type, name, [sub...]
    if (parts.length < 4 || !parts[1].equalsIgnoreCase("providers")) {
      ArmHttp.error(exchange, 404, "NotFound", "No route for " + rest);
      return;
    }
    String type = (parts[2] + "/" + parts[3]).toLowerCase(Locale.ROOT);
    if (parts.length == 4 && method.equals("GET")) {
      list(exchange, groupId(rg).toLowerCase(Locale.ROOT) + "/providers/" + type + "/");
      return;
    }
    String name = parts[4];
    String resourceKey = (groupId(rg) + "/providers/" + parts[2] + "/" + parts[3] + "/" + name).toLowerCase(Locale.ROOT);
    String sub = parts.length > 5 ? String.join("/", java.util.Arrays.copyOfRange(parts, 5, parts.length)).toLowerCase(Locale.ROOT) : "";
    if (!sub.isEmpty()) {
      ObjectNode parent = resources.get(resourceKey);
      if (parent == null) {
        ArmHttp.error(exchange, 404, "ResourceNotFound", "The Resource '" + parts[2] + "/" + parts[3] + "/" + name
            + "' under resource group '" + rg + "' was not found.");
        return;
      }
      child(exchange, method, type, parent, name, sub, json);
      return;
    }
    switch (method) {
      case "GET": {
        ObjectNode resource = resources.get(key);
        if (resource == null) {
          ArmHttp.error(exchange, 404, "ResourceNotFound", "The Resource '" + parts[2] + "/" + parts[3] + "/" + name
              + "' under resource group '" + rg + "' was not found.");
        } else {
          ArmHttp.json(exchange, 200, resource);
        }
        return;
      }
      case "DELETE": {
        ObjectNode removed = resources.remove(key);
        FunctionAppStandIn app = type.equals("microsoft.web/sites") ? apps.remove(name.toLowerCase(Locale.ROOT)) : null;
        if (app != null) {
          app.close();
        }
        ArmHttp.json(exchange, removed == null ? 204 : 200, "");
        return;
      }
      case "PUT":
        break;
      default:
        ArmHttp.error(exchange, 405, "MethodNotAllowed", method + " " + rest);
        return;
    }
    ObjectNode resource = ArmHttp.JSON.createObjectNode().put("id", groupId(rg) + "/providers/" + parts[2] + "/"
        + parts[3] + "/" + name).put("name", name).put("type", parts[2] + "/" + parts[3])
        .put("location", json.path("location").asText());
    resource.set("tags", json.path("tags").isObject() ? json.path("tags").deepCopy() : ArmHttp.JSON.createObjectNode());
    if (json.has("kind")) {
      resource.put("kind", json.path("kind").asText());
    }
    ObjectNode properties = json.path("properties").isObject() ? ((ObjectNode) json.path("properties")).deepCopy()
        : ArmHttp.JSON.createObjectNode();
    properties.put("provisioningState", "Succeeded");
    resource.set("properties", properties);
    switch (type) {
      case "microsoft.storage/storageaccounts": {
        if (!name.matches("[a-z0-9]{3,24}")) {
          ArmHttp.error(exchange, 400, "AccountNameInvalid", name + " is not a valid storage account name.");
          return;
        }
        resource.set("sku", json.path("sku").deepCopy());
        properties.putObject("primaryEndpoints").put("blob", blobEndpoint + "/");
        resources.put(key, resource);
        String operation = UUID.randomUUID().toString();
        operations.put(operation, 1);
        operationResults.put(operation, resource);
        exchange.getResponseHeaders().set("Location", base + "/subscriptions/" + subscription
            + "/providers/Microsoft.Storage/locations/" + json.path("location").asText() + "/asyncoperations/"
            + operation + "?monitor=true&api-version=" + ArmHttp.query(exchange).get("api-version"));
        exchange.getResponseHeaders().set("Retry-After", "1");
        ArmHttp.send(exchange, 202, "text/plain", new byte[0]);
        return;
      }
      case "microsoft.documentdb/databaseaccounts": {
        if (!json.path("properties").path("capabilities").toString().contains("EnableServerless")
            || !json.path("properties").path("locations").isArray()) {
          ArmHttp.error(exchange, 400, "BadRequest", "The stand-in creates serverless accounts with locations only");
          return;
        }
        properties.put("documentEndpoint", cosmosEndpoint + "/");
        break;
      }
      case "microsoft.operationalinsights/workspaces":
        properties.put("customerId", UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString());
        insights.workspace(properties.path("customerId").asText());
        break;
      case "microsoft.insights/components": {
        String workspace = properties.path("WorkspaceResourceId").asText("");
        if (!resources.containsKey(workspace.toLowerCase(Locale.ROOT))) {
          ArmHttp.error(exchange, 400, "BadRequest", "WorkspaceResourceId must name an existing Log Analytics"
              + " workspace, not '" + workspace + "'");
          return;
        }
        ObjectNode existing = resources.get(key);
        if (existing != null) { // a component keeps its keys when it is written again
          for (String field : List.of("InstrumentationKey", "AppId", "ConnectionString")) {
            properties.set(field, existing.path("properties").path(field));
          }
          break;
        }
        String ikey = UUID.randomUUID().toString();
        properties.put("InstrumentationKey", ikey).put("AppId", UUID.randomUUID().toString())
            .put("ConnectionString", "InstrumentationKey=" + ikey + ";IngestionEndpoint=" + base + "/ingest/");
        break;
      }
      case "microsoft.web/serverfarms": {
        JsonNode sku = json.path("sku");
        if (!sku.path("name").asText().equals("FC1") || !sku.path("tier").asText().equals("FlexConsumption")) {
          ArmHttp.error(exchange, 400, "BadRequest", "The stand-in takes Flex Consumption plans only (sku FC1, tier"
              + " FlexConsumption), not " + sku);
          return;
        }
        resource.set("sku", sku.deepCopy());
        break;
      }
      case "microsoft.web/sites": {
        String problem = site(rg, name, json, resource);
        if (problem != null) {
          ArmHttp.error(exchange, 400, "BadRequest", problem);
          return;
        }
        break;
      }
      default:
        ArmHttp.error(exchange, 400, "NoRegisteredProviderFound", "The stand-in has no resource type " + type);
        return;
    }
    // 200 on creation too: what Microsoft.Web and Microsoft.Insights answer (their specifications list no 201)
    resources.put(key, resource);
    ArmHttp.json(exchange, 200, resource);
  }

  /** Checks a Flex Consumption site and creates or reconfigures its app; null, or what Azure would refuse. */
  private String site(String rg, String name, JsonNode json, ObjectNode resource) throws IOException {
    JsonNode properties = json.path("properties");
    String kind = json.path("kind").asText("");
    if (!kind.contains("functionapp") || !kind.contains("linux")) {
      return "A Flex Consumption app is of kind functionapp,linux, not '" + kind + "'";
    }
    ObjectNode plan = resources.get(properties.path("serverFarmId").asText("").toLowerCase(Locale.ROOT));
    if (plan == null || !plan.path("sku").path("name").asText().equals("FC1")) {
      return "serverFarmId must name an existing FC1 plan, not '" + properties.path("serverFarmId").asText() + "'";
    }
    JsonNode config = properties.path("functionAppConfig");
    String runtime = config.path("runtime").path("name").asText("");
    String version = config.path("runtime").path("version").asText("");
    Map<String, List<String>> supported = Map.of("python", List.of("3.10", "3.11", "3.12"), "node",
        List.of("20", "22"), "java", List.of("17", "21"));
    if (!supported.getOrDefault(runtime, List.of()).contains(version)) {
      return "Flex Consumption has no runtime " + runtime + " " + version + "; it offers " + supported;
    }
    JsonNode scale = config.path("scaleAndConcurrency");
    int memory = scale.path("instanceMemoryMB").asInt(0);
    int max = scale.path("maximumInstanceCount").asInt(0);
    if (!List.of(512, 2048, 4096).contains(memory)) {
      return "instanceMemoryMB must be 512, 2048 or 4096, not " + scale.path("instanceMemoryMB");
    }
    if (max < 40 || max > 1000) {
      return "maximumInstanceCount must be between 40 and 1000, not " + scale.path("maximumInstanceCount");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (JsonNode pair : properties.path("siteConfig").path("appSettings")) {
      settings.put(pair.path("name").asText(), pair.path("value").asText());
    }
    for (String refused : List.of("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION")) {
      if (settings.containsKey(refused)) {
        return "The app setting " + refused + " is not allowed on Flex Consumption (functionAppConfig.runtime says"
            + " it)";
      }
    }
    JsonNode storage = config.path("deployment").path("storage");
    String settingName = storage.path("authentication").path("storageAccountConnectionStringName").asText("");
    if (!storage.path("type").asText().equals("blobContainer") || !storage.path("value").asText().startsWith("http")
        || !storage.path("authentication").path("type").asText().equals("StorageAccountConnectionString")
        || !settings.containsKey(settingName)) {
      return "functionAppConfig.deployment.storage must be a blob container URL with a connection string app setting"
          + " that exists, not " + storage;
    }
    if (!settings.containsKey("AzureWebJobsStorage")) {
      return "A function app needs the AzureWebJobsStorage setting";
    }
    FunctionAppStandIn app = apps.get(name.toLowerCase(Locale.ROOT));
    if (app == null) {
      app = new FunctionAppStandIn(name, token, workDir, insights);
      apps.put(name.toLowerCase(Locale.ROOT), app);
    }
    Language language = runtime.equals("node") ? Language.NODEJS : Language.valueOf(runtime.toUpperCase(Locale.ROOT));
    app.configure(language, max, settings);
    // the Functions host's id: the setting, else the name's first 32 characters; two apps of one storage account
    // with the same id make the host shut down (Functions v4), which the stand-in shows as a host that is down
    String hostId = hostId(name, settings);
    for (FunctionAppStandIn other : apps.values()) {
      if (other != app && hostId.equals(hostId(other.name(), other.settings()))
          && settings.get("AzureWebJobsStorage").equals(other.settings().get("AzureWebJobsStorage"))) {
        app.hostDown("host ID collision: " + name + " and " + other.name() + " share the host id " + hostId
            + " on one storage account, and the Functions host shuts down");
      }
    }
    ObjectNode p = (ObjectNode) resource.path("properties");
    p.remove("siteConfig");
    p.put("state", "Running").put("defaultHostName", app.host()).put("httpsOnly", properties.path("httpsOnly")
        .asBoolean(false));
    ArrayNode states = p.putArray("hostNameSslStates");
    states.addObject().put("name", app.host()).put("sslState", "Disabled").put("hostType", "Standard");
    states.addObject().put("name", app.host()).put("sslState", "Disabled").put("hostType", "Repository");
    return null;
  }

  static String hostId(String app, Map<String, String> settings) {
    String id = settings.get("AzureFunctionsWebHost__hostid");
    return id != null ? id : app.toLowerCase(Locale.ROOT).substring(0, Math.min(32, app.length()));
  }

  private void child(HttpExchange exchange, String method, String type, ObjectNode parent, String name, String sub,
      JsonNode json) throws IOException {
    if (sub.equals("providers/microsoft.resources/tags/default") && method.equals("PATCH")) {
      // Tags - Update At Scope: Merge, Replace or Delete the resource's tags, without writing the resource
      String operation = json.path("operation").asText("");
      ObjectNode tags = parent.path("tags").isObject() ? (ObjectNode) parent.path("tags") : parent.putObject("tags");
      JsonNode given = json.path("properties").path("tags");
      if (operation.equals("Replace")) {
        tags.removeAll();
      }
      if (!List.of("Merge", "Replace", "Delete").contains(operation) || !given.isObject()) {
        ArmHttp.error(exchange, 400, "InvalidRequestContent", "operation Merge|Replace|Delete and properties.tags");
        return;
      }
      given.fields().forEachRemaining(e -> {
        if (operation.equals("Delete")) {
          tags.remove(e.getKey());
        } else {
          tags.set(e.getKey(), e.getValue());
        }
      });
      ObjectNode result = ArmHttp.JSON.createObjectNode().put("id", parent.path("id").asText()
          + "/providers/Microsoft.Resources/tags/default").put("name", "default").put("type", "Microsoft.Resources/tags");
      result.putObject("properties").set("tags", tags.deepCopy());
      ArmHttp.json(exchange, 200, result);
      return;
    }
    if (type.equals("microsoft.storage/storageaccounts") && sub.equals("listkeys") && method.equals("POST")) {
      ObjectNode keys = ArmHttp.JSON.createObjectNode();
      keys.putArray("keys").addObject().put("keyName", "key1").put("value", storageKey).put("permissions", "FULL");
      ArmHttp.json(exchange, 200, keys);
    } else if (type.equals("microsoft.documentdb/databaseaccounts") && sub.equals("listkeys")
        && method.equals("POST")) {
      ArmHttp.json(exchange, 200, ArmHttp.JSON.createObjectNode().put("primaryMasterKey", cosmosKey)
          .put("secondaryMasterKey", cosmosKey).put("primaryReadonlyMasterKey", cosmosKey)
          .put("secondaryReadonlyMasterKey", cosmosKey));
    } else if (type.equals("microsoft.storage/storageaccounts") && sub.startsWith("blobservices/default/containers/")
        && method.equals("PUT")) {
      String container = sub.substring("blobservices/default/containers/".length());
      if (!container.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
        ArmHttp.error(exchange, 400, "ContainerOperationFailure", "The specified resource name '" + container
            + "' is invalid: 3-63 lowercase letters, digits and single hyphens");
        return;
      }
      ObjectNode result = ArmHttp.JSON.createObjectNode().put("id", parent.path("id").asText()
          + "/blobServices/default/containers/" + container).put("name", container)
          .put("type", "Microsoft.Storage/storageAccounts/blobServices/containers");
      result.putObject("properties");
      ArmHttp.json(exchange, 201, result);
    } else if (type.equals("microsoft.web/sites")) {
      FunctionAppStandIn app = apps.get(name.toLowerCase(Locale.ROOT));
      String siteId = parent.path("id").asText();
      if (sub.equals("config/appsettings/list") && method.equals("POST")) {
        ObjectNode result = ArmHttp.JSON.createObjectNode().put("id", siteId + "/config/appsettings")
            .put("name", "appsettings").put("type", "Microsoft.Web/sites/config");
        result.set("properties", ArmHttp.JSON.valueToTree(app.settings()));
        ArmHttp.json(exchange, 200, result);
      } else if (sub.equals("config/appsettings") && method.equals("PUT")) {
        Map<String, String> settings = new LinkedHashMap<>();
        json.path("properties").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        app.updateSettings(settings);
        ObjectNode result = ArmHttp.JSON.createObjectNode().put("id", siteId + "/config/appsettings")
            .put("name", "appsettings").put("type", "Microsoft.Web/sites/config");
        result.set("properties", ArmHttp.JSON.valueToTree(settings));
        ArmHttp.json(exchange, 200, result);
      } else if (sub.equals("functions") && method.equals("GET")) {
        ObjectNode result = ArmHttp.JSON.createObjectNode();
        ArrayNode value = result.putArray("value");
        for (String function : app.functions()) {
          ObjectNode f = value.addObject().put("id", siteId + "/functions/" + function).put("name", name + "/"
              + function).put("type", "Microsoft.Web/sites/functions");
          f.putObject("properties").put("name", function).put("invoke_url_template", app.invokeUrl(function))
              .put("isDisabled", false).put("language", parent.path("properties").path("functionAppConfig")
                  .path("runtime").path("name").asText());
        }
        ArmHttp.json(exchange, 200, result);
      } else if (sub.matches("functions/[^/]+/listkeys") && method.equals("POST")) {
        String function = sub.split("/")[1];
        if (!app.functions().contains(function)) {
          ArmHttp.error(exchange, 404, "NotFound", "Function " + function + " not found in " + name);
          return;
        }
        if (app.hostStarting()) { // the keys come from the host, which starts after a deployment
          ArmHttp.error(exchange, 400, "BadRequest", "Encountered an error (ServiceUnavailable) from host runtime.");
          return;
        }
        ArmHttp.json(exchange, 200, ArmHttp.JSON.createObjectNode().put("default", app.key()));
      } else {
        ArmHttp.error(exchange, 404, "NotFound", "No route for " + method + " sites/" + name + "/" + sub);
      }
    } else {
      ArmHttp.error(exchange, 404, "NotFound", "No route for " + method + " " + type + "/" + name + "/" + sub);
    }
  }

  private void list(HttpExchange exchange, String prefix) throws IOException {
    ObjectNode result = ArmHttp.JSON.createObjectNode();
    ArrayNode value = result.putArray("value");
    for (Map.Entry<String, ObjectNode> e : resources.entrySet()) {
      if (e.getKey().startsWith(prefix) && e.getKey().substring(prefix.length()).indexOf('/') < 0) {
        value.add(e.getValue());
      }
    }
    ArmHttp.json(exchange, 200, result);
  }

  /** The storage account creation's operation: "running" once, then done with the account. */
  private synchronized void operation(HttpExchange exchange, String id) throws IOException {
    Integer pending = operations.get(id);
    if (pending == null) {
      ArmHttp.error(exchange, 404, "NotFound", "No operation " + id);
    } else if (pending > 0) {
      operations.put(id, pending - 1);
      exchange.getResponseHeaders().set("Retry-After", "1");
      ArmHttp.send(exchange, 202, "text/plain", new byte[0]);
    } else {
      ArmHttp.json(exchange, 200, operationResults.get(id));
    }
  }

  @Override
  public synchronized void close() {
    apps.values().forEach(FunctionAppStandIn::close);
    apps.clear();
  }
}
