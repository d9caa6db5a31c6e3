package io.sluice.operator.standalone;

import java.nio.file.Path;

/**
 * Why one document of a manifest file could not be read: the file, the document's position in it, the object
 * (kind/namespace/name, when it could be read that far), the field and the reason.
 */
public record ManifestProblem(Path file, int document, String object, String field, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(file).append(" (document ").append(document).append(')');
        if (object != null) {
            sb.append(' ').append(object);
        }
        if (field != null && !field.isEmpty()) {
            sb.append(" field ").append(field);
        }
        return sb.append(": ").append(message).toString();
    }
}
