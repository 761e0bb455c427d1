package dev.gpuplan.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a list and the cursor of the next (null on the last page). A cursor is opaque to clients: the sort
 * key of the last item returned, so pages stay stable while items are added or removed elsewhere in the list.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for; a cursor this service did not hand out is bad input naming {@code cursor}. */
    public static String decode(String cursor) {
        try {
            String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (position.length() > 200) {
                throw new IllegalArgumentException("too long");
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw dev.gpuplan.input.InvalidInputException.of("query", "", "cursor", "is not a cursor this service handed out");
        }
    }
}
