package io.berth.engine.container;

import java.security.SecureRandom;
import java.util.List;

/** Docker-style random names: {@code adjective_surname}, as moby's namesgenerator makes them. */
final class NameGenerator {
    private static final List<String> LEFT = List.of("admiring", "adoring", "affectionate", "agitated", "amazing", "angry",
            "awesome", "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "cool", "compassionate",
            "competent", "confident", "crazy", "dazzling", "determined", "distracted", "dreamy", "eager", "ecstatic",
            "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant", "focused",
            "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore",
            "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent", "interesting", "jolly", "jovial",
            "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty",
            "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive",
            "practical", "priceless", "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad",
            "serene", "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
            "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful",
            "xenodochial", "youthful", "zealous", "zen");
    private static final List<String> RIGHT = List.of("agnesi", "albattani", "allen", "archimedes", "ardinghelli",
            "babbage", "banach", "bardeen", "bartik", "bell", "bhabha", "blackwell", "bohr", "booth", "borg", "bose",
            "brahmagupta", "brown", "burnell", "cannon", "carson", "cerf", "chandrasekhar", "chaplygin", "clarke",
            "curie", "darwin", "davinci", "dijkstra", "dirac", "driscoll", "easley", "einstein", "elbakyan", "elgamal",
            "elion", "engelbart", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "franklin", "galileo",
            "gates", "goldberg", "goldstine", "goldwasser", "golick", "goodall", "hamilton", "haslett", "hawking",
            "heisenberg", "hermann", "hertz", "hodgkin", "hofstadter", "hopper", "hugle", "hypatia", "jackson",
            "jang", "jennings", "jepsen", "johnson", "joliot", "jones", "kalam", "kapitsa", "keller", "kepler",
            "khorana", "kilby", "kirch", "knuth", "kowalevski", "lalande", "lamarr", "lamport", "leakey", "leavitt",
            "lederberg", "lehmann", "lewin", "lichterman", "liskov", "lovelace", "lumiere", "mahavira", "margulis",
            "matsumoto", "maxwell", "mayer", "mccarthy", "mcclintock", "mclean", "meitner", "mendel", "merkle",
            "minsky", "mirzakhani", "montalcini", "moore", "morse", "napier", "nash", "neumann", "newton", "nobel",
            "noether", "northcutt", "noyce", "panini", "pare", "pascal", "pasteur", "payne", "perlman", "pike",
            "poincare", "poitras", "ptolemy", "raman", "ramanujan", "ride", "ritchie", "robinson", "roentgen",
            "rosalind", "rubin", "saha", "sammet", "sanderson", "shamir", "shannon", "shaw", "shirley", "shockley",
            "sinoussi", "snyder", "spence", "stonebraker", "sutherland", "swanson", "swartz", "swirles", "taussig",
            "tesla", "tharp", "thompson", "torvalds", "tu", "turing", "varahamihira", "vaughan", "villani",
            "visvesvaraya", "volhard", "wescoff", "wilbur", "wiles", "williams", "williamson", "wilson", "wing",
            "wozniak", "wright", "wu", "yalow", "yonath", "zhukovsky");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NameGenerator() {}

    static String next(int retry) {
        String name = LEFT.get(RANDOM.nextInt(LEFT.size())) + "_" + RIGHT.get(RANDOM.nextInt(RIGHT.size()));
        return retry > 0 ? name + RANDOM.nextInt(10) : name;
    }
}
