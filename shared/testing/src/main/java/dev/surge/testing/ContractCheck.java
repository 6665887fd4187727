package dev.surge.testing;

import dev.surge.http.ApiContract;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a service's answers against its OpenAPI contract with Vert.x's own validator ({@code vertx-openapi}):
 * {@link TestService} runs every response its client receives through {@link #check}, so every test that talks to a
 * service over HTTP is also a contract test, and an answer the contract does not describe fails that test.
 *
 * <p>vertx-openapi (5.0) reads only some media types: it refuses a contract with {@code application/problem+json}
 * (RFC 9457) or {@code text/event-stream} responses, or {@code application/merge-patch+json} requests, and refuses
 * to check a text body against a schema. The validator is therefore given a copy in which {@code application/*+json}
 * is renamed {@code application/json} (each response's {@code Content-Type} too) and the text media types are left
 * out; text answers are checked here against what the document declares. The schemas are checked as written.
 * The served document itself is checked whole against the OpenAPI 3.1 schema ({@link #schemaErrors}).
 */
public final class ContractCheck {



  private final JsonObject document;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private ContractCheck(JsonObject document, OpenAPIContract contract, ResponseValidator validator) {
    this.document = document;
    this.contract = contract;
    this.validator = validator;
  }

  /** Reads the contract as the validator needs it. */
  public static Future<ContractCheck> of(Vertx vertx, ApiContract contract) {
    return of(vertx, contract.document());
  }

  /** Reads a whole OpenAPI document as the validator needs it (the gateway's aggregate, say). */
  public static Future<ContractCheck> of(Vertx vertx, JsonObject document) {
    return OpenAPIContract.from(vertx, readableCopy(document))
      .map(c -> new ContractCheck(document, c, ResponseValidator.create(vertx, c)));
  }

  /**
   * The errors of the document against the OpenAPI 3.1 schema (the specification's own JSON Schema, as shipped with
   * vertx-openapi); empty when it is a valid document, which standard tools can then read and generate clients from.
   */
  public static Future<List<String>> schemaErrors(Vertx vertx, JsonObject document) {
    OpenAPIVersion version = OpenAPIVersion.V3_1;
    return version.getRepository(vertx, "https://surge.dev/openapi.json")
      .compose(repository -> version.validateContract(vertx, repository, document))
      .map(ContractCheck::errors);
  }

  /**
   * Whether the response fits the operation its request went to: a failed future saying how when it does not.
   * Requests to no documented operation (a path the service does not serve, say) are not checked here: the
   * service's routes are checked against the contract when it starts.
   */
  public Future<Void> check(HttpMethod method, String uri, int status, MultiMap headers, Buffer body) {
    String path = uri.split("[?#]", 2)[0];
    Operation operation = contract.findOperation(path, method);
    if (operation == null) { // HEAD too: the GET's answer without its body, which the GET's check covers
      return Future.succeededFuture();
    }
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    // vertx-openapi reads a header as JSON, quoting it first unless it looks like JSON: a value holding quotes
    // (Link's rel="next") is then neither; given as a JSON string it reads back as sent.
    headers.forEach(h -> byName.putIfAbsent(h.getKey(), h.getValue().contains("\"")
      ? io.vertx.core.json.Json.encode(h.getValue()) : h.getValue()));
    String type = headers.get("Content-Type");
    boolean noBody = body == null || body.length() == 0;
    String text = noBody || type == null || !readable(type).startsWith("text/") ? null : textProblem(operation,
      status, type, body);
    if (text == null) {
      text = declaredProblem(operation, status, noBody ? null : type);
    }
    ValidatableResponse response = noBody || type == null || readable(type).startsWith("text/")
      ? ValidatableResponse.create(status, byName) : ValidatableResponse.create(status, byName, body, readable(type));
    Future<Void> checked = text != null ? Future.failedFuture(text)
      : validator.validate(response, operation.getOperationId()).mapEmpty();
    return checked.recover(e -> Future.failedFuture(new AssertionError("The answer to " + method + " " + uri + " ("
      + status + ", " + type + ") is not what the contract's " + operation.getOperationId() + " describes: "
      + e.getMessage() + detail(e) + (body == null ? "" : "\nbody: " + abbreviated(body)), e)));
  }

  /**
   * A text answer (plain, HTML, an event stream), checked here: vertx-openapi hands a text body to its JSON Schema
   * validator as a buffer, which it refuses. The media type must be one the operation declares for the status, and
   * the text must fit the declared schema (a string, a constant). Null when it fits.
   */
  private String textProblem(Operation operation, int status, String type, Buffer body) {
    JsonObject responses = responses(operation);
    JsonObject declared = resolve(responses.getJsonObject(String.valueOf(status), responses.getJsonObject("default")));
    String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    JsonObject content = declared == null ? null : declared.getJsonObject("content", new JsonObject());
    if (content == null || content.getJsonObject(media) == null) {
      return "no " + media + " answer is declared for " + status;
    }
    JsonObject schema = content.getJsonObject(media).getJsonObject("schema");
    if (schema == null || schema.containsKey("$ref")) {
      return null;
    }
    OutputUnit result = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("https://surge.dev/openapi.json").setOutputFormat(OutputFormat.Basic)).validate(body.toString());
    return Boolean.FALSE.equals(result.getValid()) ? "the text does not fit its schema: " + errors(result) : null;
  }

  /**
   * What the validator lets through and the contract does not say: a 5xx it does not name (the default answer is for
   * the 4xx a route cannot list; a bug's 500 fits it too), and a body of a media type the answer does not declare
   * (the validator reads {@code application/problem+json} as {@code application/json}). Null when neither.
   */
  private String declaredProblem(Operation operation, int status, String type) {
    JsonObject responses = responses(operation);
    if (status >= 500 && !responses.containsKey(String.valueOf(status))) {
      return "a " + status + " the contract does not name (only its default answer would take it)";
    }
    JsonObject declared = resolve(responses.getJsonObject(String.valueOf(status), responses.getJsonObject("default")));
    JsonObject content = declared == null ? null : declared.getJsonObject("content");
    if (type == null || content == null || content.isEmpty()) {
      return null;
    }
    String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return content.containsKey(media) ? null : "a " + media + " body, where the answer declares " + content.fieldNames();
  }

  private JsonObject responses(Operation operation) {
    return document.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
      .getJsonObject(operation.getHttpMethod().name().toLowerCase(Locale.ROOT)).getJsonObject("responses");
  }

  private JsonObject resolve(JsonObject response) {
    if (response == null || !response.containsKey("$ref")) {
      return response;
    }
    String name = response.getString("$ref").substring("#/components/responses/".length());
    return document.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
  }

  private static String detail(Throwable e) {
    if (e instanceof io.vertx.openapi.validation.SchemaValidationException s && s.getOutputUnit() != null) {
      return "\n" + String.join("\n", errors(s.getOutputUnit()));
    }
    return "";
  }

  private static List<String> errors(OutputUnit unit) {
    List<String> errors = new ArrayList<>();
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(e -> errors.add(e.getInstanceLocation() + ": " + e.getError()
        + " (" + e.getKeywordLocation() + ")"));
    }
    if (errors.isEmpty() && Boolean.FALSE.equals(unit.getValid())) {
      errors.add(unit.getInstanceLocation() + ": " + unit.getError());
    }
    return errors;
  }

  private static String abbreviated(Buffer body) {
    String text = body.toString();
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }

  private static String readable(String contentType) {
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (media.startsWith("application/") && media.endsWith("+json")) {
      return "application/json"; // problem+json, merge-patch+json
    }
    return media;
  }

  private static JsonObject readableCopy(JsonObject document) {
    JsonObject copy = document.copy();
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op) {
        if (op.getJsonObject("requestBody") != null) {
          rename(op.getJsonObject("requestBody"));
        }
        if (op.getJsonObject("responses") != null) {
          op.getJsonObject("responses").forEach(r -> rename((JsonObject) r.getValue()));
        }
      }
    }));
    JsonObject components = copy.getJsonObject("components", new JsonObject());
    for (String section : List.of("responses", "requestBodies")) {
      components.getJsonObject(section, new JsonObject()).forEach(r -> rename((JsonObject) r.getValue()));
    }
    return copy;
  }

  private static void rename(JsonObject holder) {
    JsonObject content = holder.getJsonObject("content");
    if (content == null) {
      return;
    }
    JsonObject renamed = new JsonObject();
    content.forEach(media -> {
      String name = readable(media.getKey());
      if (name.startsWith("text/")) {
        return; // checked here (textProblem)
      }
      JsonObject earlier = renamed.getJsonObject(name);
      JsonObject mediaType = (JsonObject) media.getValue();
      if (earlier == null) {
        renamed.put(name, mediaType);
      } else { // two media types read as one (problem+json beside json): either schema will do
        renamed.put(name, new JsonObject().put("schema", new JsonObject().put("anyOf", new io.vertx.core.json.JsonArray()
          .add(earlier.getValue("schema", new JsonObject())).add(mediaType.getValue("schema", new JsonObject())))));
      }
    });
    holder.put("content", renamed);
  }
}
