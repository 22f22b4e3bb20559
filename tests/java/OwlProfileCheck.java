import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * OWL 2 DL profile check with the OWL API (as Protégé loads files).
 * Usage: OwlProfileCheck FILE [FILE...]: the first file is the ontology; the others are merged into it
 * (data of a build, a PrimeKG sample).  Prints "ontology IRI", "version IRI", "ontologies N" (how many
 * ontology headers the files hold), then one "violation: ..." line per OWL 2 DL violation, then
 * "violations N".  Exit 0 when there is none, 1 otherwise.
 */
public final class OwlProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology main = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[0])), config);
        int headers = main.getOntologyID().isAnonymous() ? 0 : 1;
        for (int i = 1; i < args.length; i++) {
            OWLOntology extra = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[i])), config);
            if (!extra.getOntologyID().isAnonymous()) {
                headers++;
            }
            manager.addAxioms(main, extra.axioms());
        }
        System.out.println("ontology IRI " + main.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("-"));
        System.out.println("version IRI " + main.getOntologyID().getVersionIRI().map(IRI::toString).orElse("-"));
        System.out.println("ontologies " + headers);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(main);
        Set<String> lines = new TreeSet<>();
        for (OWLProfileViolation v : report.getViolations()) {
            lines.add("violation: " + v.getClass().getSimpleName() + ": " + v.toString().replace('\n', ' '));
        }
        for (String line : lines) {
            System.out.println(line);
        }
        System.out.println("violations " + lines.size());
        System.exit(lines.isEmpty() ? 0 : 1);
    }
}
