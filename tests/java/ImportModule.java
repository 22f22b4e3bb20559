import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLClassAssertionAxiom;
import org.semanticweb.owlapi.model.OWLIndividual;
import org.semanticweb.owlapi.model.OWLPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;

import uk.ac.manchester.cs.owlapi.modularity.ModuleType;
import uk.ac.manchester.cs.owlapi.modularity.SyntacticLocalityModuleExtractor;

/**
 * Joins an ontology and its data with the locality-based module of imported ontologies (RO, FaBiO)
 * for the signature the ontology and data use, so a reasoner checks the join in CI time.
 *
 * A syntactic-locality STAR module M of an imported ontology I for a signature S is a depleting module:
 * for every ontology O whose signature is within S, O u I is a conservative extension of O u M,
 * so O u I is consistent iff O u M is, and a class of S is unsatisfiable in O u I iff it is in O u M
 * (Cuenca Grau, Horrocks, Kazakov, Sattler, "Modular Reuse of Ontologies: Theory and Practice",
 * JAIR 31, 2008; Sattler, Schneider, Zakharyaschev, "Which Kind of Module Should I Extract?", DL 2009).
 *
 * Usage: ImportModule OUT.owl [--no-rules] [--no-chains] FILE... --import IMPORTED...
 * --no-rules leaves out the imported SWRL rules (RO has 25: outside OWL 2 DL), --no-chains the imported
 * property chain axioms (166: RO 160, FaBiO 6): Pellet 2.3.1 does not finish on the module with the chains
 * or with the rules, and takes seconds without both (Openllet 2.6.5 does no better: see
 * tests/conformance/test_reasoners.py).  A join without them is weaker (consistent does not imply the
 * whole is), which is why HermiT checks the whole module.
 * The FILEs are merged into one ontology (the first one's header is kept); the module of the IMPORTED
 * files together is added with the declarations of its entities; OUT is written as RDF/XML (the syntax
 * HermiT's and Pellet's bundled parsers read).  Prints "dropped header assertion: AXIOM" for each assertion
 * about an imported ontology's own IRI (see aboutHeader), then "signature N", "imported axioms N",
 * "module axioms N".
 */
public final class ImportModule {
    /**
     * An assertion about the imported ontology's own IRI: a header annotation (dcterms:created of the
     * document) that the OWL API reads as a property assertion because the imported ontology declares the
     * property as a data or object property.  It describes the document, not the domain, so it is left out.
     */
    static boolean aboutHeader(OWLAxiom ax, Set<IRI> header) {
        if (ax instanceof OWLPropertyAssertionAxiom) {
            OWLIndividual subject = ((OWLPropertyAssertionAxiom<?, ?>) ax).getSubject();
            return subject.isNamed() && header.contains(subject.asOWLNamedIndividual().getIRI());
        }
        if (ax instanceof OWLClassAssertionAxiom) {
            OWLIndividual subject = ((OWLClassAssertionAxiom) ax).getIndividual();
            return subject.isNamed() && header.contains(subject.asOWLNamedIndividual().getIRI());
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLDataFactory df = manager.getOWLDataFactory();
        OWLOntology main = null;
        int[] droppedRules = {0};
        int[] droppedChains = {0};
        Set<OWLAxiom> imported = new HashSet<>();
        boolean importing = false;
        boolean rules = true;
        boolean chains = true;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--no-rules")) {
                rules = false;
                continue;
            }
            if (args[i].equals("--no-chains")) {
                chains = false;
                continue;
            }
            if (args[i].equals("--import")) {
                importing = true;
                continue;
            }
            OWLOntology loaded = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[i])), config);
            if (importing) {
                boolean rulesKept = rules;
                boolean chainsKept = chains;
                Set<IRI> header = new HashSet<>();
                loaded.getOntologyID().getOntologyIRI().ifPresent(header::add);
                loaded.getOntologyID().getVersionIRI().ifPresent(header::add);
                loaded.axioms().forEach(ax -> {
                    if (aboutHeader(ax, header)) {
                        System.out.println("dropped header assertion: " + ax);
                    } else if (!rulesKept && ax.isOfType(AxiomType.SWRL_RULE)) {
                        droppedRules[0]++;
                    } else if (!chainsKept && ax.isOfType(AxiomType.SUB_PROPERTY_CHAIN_OF)) {
                        droppedChains[0]++;
                    } else {
                        imported.add(ax);
                    }
                });
            } else if (main == null) {
                main = loaded;
            } else {
                manager.addAxioms(main, loaded.axioms());
            }
        }
        if (main == null) {
            throw new IllegalArgumentException("usage: ImportModule OUT.owl FILE... --import IMPORTED...");
        }
        Set<OWLEntity> signature = main.signature().collect(Collectors.toSet());
        SyntacticLocalityModuleExtractor extractor =
                new SyntacticLocalityModuleExtractor(manager, imported.stream(), ModuleType.STAR);
        Set<OWLAxiom> module = extractor.extract(signature);
        Set<OWLEntity> moduleSignature = module.stream().flatMap(OWLAxiom::signature).collect(Collectors.toSet());
        // The imported files' declarations of the module's entities, so each IRI keeps its kind (OWL 2 DL).
        Stream<OWLAxiom> declarations = imported.stream()
                .filter(ax -> ax.isOfType(AxiomType.DECLARATION))
                .filter(ax -> ax.signature().anyMatch(moduleSignature::contains));
        manager.addAxioms(main, Stream.concat(module.stream(), declarations));
        for (OWLEntity e : moduleSignature) {
            if (!e.isBuiltIn()) {
                manager.addAxiom(main, df.getOWLDeclarationAxiom(e));
            }
        }
        System.out.println("dropped rules " + droppedRules[0]);
        System.out.println("dropped chains " + droppedChains[0]);
        System.out.println("signature " + signature.size());
        System.out.println("imported axioms " + imported.size());
        System.out.println("module axioms " + module.size());
        try (OutputStream out = new FileOutputStream(args[0])) {
            manager.saveOntology(main, new RDFXMLDocumentFormat(), out);
        }
    }
}
