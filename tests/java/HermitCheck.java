import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.reasoner.OWLReasonerConfiguration;


/**
 * Consistency and unsatisfiable classes by HermiT (the jar owlready2 bundles, with its OWL API 3).
 * Usage: HermitCheck FILE [--ignore-unsupported-datatypes] [--explain] [--classes]
 * Prints "consistent true|false"; when inconsistent and --explain, one minimal explanation as
 * "explanation: AXIOM" lines; when consistent and --classes, one "unsatisfiable: IRI" line per
 * unsatisfiable named class, then "unsatisfiable N".  Exit 0 when consistent (with no unsatisfiable
 * class if --classes), 1 otherwise.
 */
public final class HermitCheck {
    /** HermiT with the options of this check, for the reasoners the explanation generator creates too. */
    static final class Factory extends Reasoner.ReasonerFactory {
        private final boolean ignoreUnsupportedDatatypes;

        Factory(boolean ignoreUnsupportedDatatypes) {
            this.ignoreUnsupportedDatatypes = ignoreUnsupportedDatatypes;
        }

        @Override
        protected Configuration getProtegeConfiguration(OWLReasonerConfiguration ignored) {
            Configuration c = new Configuration();
            c.ignoreUnsupportedDatatypes = ignoreUnsupportedDatatypes;
            c.throwInconsistentOntologyException = false;
            return c;
        }
    }

    /**
     * A minimal inconsistent subset of AXIOMS (which are inconsistent), by deleting chunks of halving size
     * while what is left stays inconsistent: O(k log n) consistency tests for an explanation of k axioms.
     */
    static List<OWLAxiom> minimalInconsistentSubset(OWLOntologyManager manager, Factory factory, List<OWLAxiom> axioms)
            throws Exception {
        List<OWLAxiom> left = new ArrayList<>(axioms);
        for (int chunk = Math.max(1, left.size() / 2); ; chunk = Math.max(1, chunk / 2)) {
            for (int i = 0; i < left.size(); ) {
                List<OWLAxiom> candidate = new ArrayList<>(left.subList(0, i));
                candidate.addAll(left.subList(Math.min(left.size(), i + chunk), left.size()));
                if (!consistent(manager, factory, candidate)) {
                    left = candidate;
                } else {
                    i += chunk;
                }
            }
            if (chunk == 1) {
                return left;
            }
        }
    }

    static boolean consistent(OWLOntologyManager manager, Factory factory, List<OWLAxiom> axioms) throws Exception {
        OWLOntology o = manager.createOntology(new HashSet<>(axioms));
        try {
            return factory.createReasoner(o).isConsistent();
        } finally {
            manager.removeOntology(o);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> options = java.util.Arrays.asList(args).subList(1, args.length);
        boolean ignore = options.contains("--ignore-unsupported-datatypes");
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        Factory factory = new Factory(ignore);
        OWLReasoner reasoner = factory.createReasoner(ontology);
        boolean consistent = reasoner.isConsistent();
        System.out.println("consistent " + consistent);
        if (!consistent && options.contains("--explain")) {
            Set<String> lines = new TreeSet<>();
            for (OWLAxiom ax : minimalInconsistentSubset(manager, factory, new ArrayList<>(ontology.getAxioms()))) {
                lines.add("explanation: " + ax.toString().replace('\n', ' '));
            }
            lines.forEach(System.out::println);
        }
        if (!consistent || !options.contains("--classes")) {
            System.exit(consistent ? 0 : 1);
        }
        Set<String> unsat = new TreeSet<>();
        for (OWLClass c : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
            unsat.add("unsatisfiable: " + c.getIRI());
        }
        unsat.forEach(System.out::println);
        System.out.println("unsatisfiable " + unsat.size());
        System.exit(unsat.isEmpty() ? 0 : 1);
    }
}
