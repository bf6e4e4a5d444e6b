// Test helper: EPUBCheck over several books in one JVM (EPUBCheck's command line takes one book, and a
// JVM a book costs seconds each). Run as a single-file source program, no build step:
//   java -cp epubcheck.jar test/java/EpubcheckBatch.java a.epub b.epub ...
// Prints each book's usual EPUBCheck output between marker lines.
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

public class EpubcheckBatch {
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    for (String file : args) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      PrintStream capture = new PrintStream(buffer, true, "UTF-8");
      System.setOut(capture);
      System.setErr(capture);
      int code;
      try {
        code = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] { file });
      } catch (Throwable t) {
        t.printStackTrace(capture);
        code = -1;
      }
      System.setOut(out);
      System.setErr(err);
      out.println("=== quire-epubcheck-batch begin " + file);
      out.write(buffer.toByteArray());
      out.println("=== quire-epubcheck-batch end " + code);
    }
    out.flush();
  }
}
