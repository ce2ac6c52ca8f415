package videopipe.statemachines.engine;

import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.spi.json.AbstractJsonProvider;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import videopipe.statemachines.asl.Json;

/** Lets Jayway JsonPath read the engine's plain maps and lists directly, without json-smart. */
final class PlainJsonProvider extends AbstractJsonProvider {

  @Override
  public Object parse(String json) {
    return Json.parse(json);
  }

  @Override
  public Object parse(InputStream in, String charset) {
    try {
      return Json.parse(new String(in.readAllBytes(), charset));
    } catch (java.io.IOException e) {
      throw new InvalidJsonException(e);
    }
  }

  @Override
  public String toJson(Object obj) {
    return Json.write(obj);
  }

  @Override
  public Object createArray() {
    return new ArrayList<>();
  }

  @Override
  public Object createMap() {
    return new LinkedHashMap<>();
  }
}
