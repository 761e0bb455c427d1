package dev.gpuplan.cluster;

/**
 * Turns any text into one bash word that means exactly that text. ANSI-C quoting ({@code $'...'}) is used
 * so the result is always on one line: a newline in a title or a command becomes {@code \n} inside the quotes
 * and can never start a new line of the script (a {@code #SBATCH} directive or a command of its own).
 */
final class ShellQuote {

    private ShellQuote() {
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 3).append("$'");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", c));
                    } else if (c == 0x85 || c == 0x2028 || c == 0x2029) {
                        quoted.append(String.format("\\u%04x", c)); // line separators to some editors and tools
                    } else {
                        quoted.appendCodePoint(c);
                    }
                }
            }
        });
        return quoted.append('\'').toString();
    }
}
