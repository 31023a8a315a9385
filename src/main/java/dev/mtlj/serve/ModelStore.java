package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model repository folder laid out as Triton's: {@code ROOT/<model>/<version>/}, each version folder holding one
 * model — a run directory's contents (its {@code checkpoints/}), one {@code .ckpt} checkpoint, or one TorchScript
 * {@code .pt} file with its {@code .json} signature. Models are named by folder; a request names a model, never a
 * path, and a name is checked before it touches the file system.
 */
public final class ModelStore {
    static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
    private final Path root;

    /** {@code root} must be a readable folder. */
    public ModelStore(Path root) {
        if (!Files.isDirectory(root)) {
            throw new UserInputException("model repository '" + root + "' is not a folder; lay it out as"
                    + " DIR/<model>/<version>/ with a run directory, a .ckpt or a TorchScript .pt in each version");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    /** The repository folder. */
    public Path root() {
        return root;
    }

    /** The model folders, by name. */
    public List<String> models() {
        return children(root);
    }

    /** Whether a model folder of that name exists. */
    public boolean contains(String model) {
        return model != null && model.matches(NAME) && Files.isDirectory(root.resolve(model));
    }

    /** A model's version folders, ordered as {@link ModelRepository} orders versions. */
    public List<String> versions(String model) {
        if (!contains(model)) {
            throw new ModelRepository.NotFoundException(
                    "model '" + model + "' is not in the model repository; models: " + models());
        }
        List<String> out = new ArrayList<>(children(root.resolve(model)));
        out.sort(ModelRepository::compareVersions);
        return out;
    }

    /** The model file (or run directory) inside a version folder; a folder without exactly one is explained. */
    public Path modelPath(String model, String version) {
        Path dir = root.resolve(model).resolve(version);
        if (Files.isDirectory(dir.resolve("checkpoints"))) {
            return dir;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{ckpt,pt}")) {
            files.forEach(found::add);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + dir + ": " + e.getMessage());
        }
        if (found.size() != 1) {
            throw new UserInputException("model '" + model + "' version " + version + " holds " + found.size()
                    + " model files; put a run directory's contents (checkpoints/), one .ckpt checkpoint, or one"
                    + " TorchScript .pt file with its .json signature in " + dir);
        }
        return found.get(0);
    }

    private static List<String> children(Path dir) {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (n.matches(NAME)) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read the model repository folder " + dir + ": " + e.getMessage());
        }
        return new ArrayList<>(names);
    }

    /** Folder name to versions, for the index. */
    java.util.Map<String, List<String>> layout() {
        TreeMap<String, List<String>> out = new TreeMap<>();
        for (String m : models()) {
            out.put(m, versions(m));
        }
        return out;
    }
}
