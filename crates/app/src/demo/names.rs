//! Names of the people who cross this border, by community.

/// Belizean Creole given names (female, male) and surnames.
pub const CREOLE: Community = Community {
    female: &[
        "Shanice", "Keisha", "Latoya", "Marcia", "Denise", "Sharon", "Andrea", "Tamika", "Jasmine",
        "Patrice", "Beverly", "Janelle",
    ],
    male: &[
        "Dwayne", "Marlon", "Andre", "Kevin", "Delroy", "Leroy", "Wendell", "Shawn", "Rudolph", "Clement",
        "Everald", "Jermaine",
    ],
    surnames: &[
        "Young",
        "Gillett",
        "Flowers",
        "Usher",
        "Tillett",
        "Garbutt",
        "Neal",
        "Lewis",
        "Staine",
        "Gentle",
        "Arnold",
        "Belisle",
        "Hyde",
        "Smith",
        "Augustine",
        "Bradley",
        "Gabourel",
        "Castillo",
        "Leslie",
        "Lindo",
    ],
    two_surnames: 0.0,
};

/// Belizean Mestizo names (northern districts, Corozal and Orange Walk).
pub const MESTIZO: Community = Community {
    female: &[
        "María", "Rosa", "Ana", "Gabriela", "Yesenia", "Marisol", "Leticia", "Dalila", "Sandra", "Elsa",
        "Karina", "Rosalía",
    ],
    male: &[
        "José",
        "Juan",
        "Luis",
        "Jorge",
        "Rolando",
        "Hilberto",
        "Wilfredo",
        "Ángel",
        "Armando",
        "Efraín",
        "Rigoberto",
        "Santiago",
    ],
    surnames: &[
        "Pech",
        "Magaña",
        "Ayuso",
        "Novelo",
        "Canul",
        "Castillo",
        "Reyes",
        "Vasquez",
        "Cervantes",
        "Rosado",
        "Rancharan",
        "Carballo",
        "Uck",
        "Blanco",
        "Briceño",
        "Cobb",
        "Herrera",
        "Rivero",
        "Vega",
        "Salazar",
    ],
    two_surnames: 0.3,
};

/// Mopan, Q'eqchi' and Yucatec Maya names of Belize.
pub const MAYA: Community = Community {
    female: &["Juana", "Petrona", "Marcelina", "Aurelia", "Francisca", "Cristina", "Isabel", "Dominga"],
    male: &["Santiago", "Marcos", "Pablo", "Domingo", "Cruz", "Aurelio", "Valentino", "Alfonso"],
    surnames: &[
        "Coc", "Choc", "Bol", "Sho", "Tzib", "Cal", "Pop", "Teck", "Chub", "Ical", "Makin", "Cho", "Saqui",
        "Chen", "Xi",
    ],
    two_surnames: 0.2,
};

/// Garifuna names.
pub const GARIFUNA: Community = Community {
    female: &["Felicia", "Sylvia", "Roberta", "Ephrasia", "Lucila", "Virginia", "Clara", "Norma"],
    male: &["Andy", "Felix", "Paul", "Austin", "Justo", "Martin", "Aurelio", "Sebastian"],
    surnames: &[
        "Martinez", "Nunez", "Palacio", "Arana", "Cayetano", "Lambey", "Avila", "Ramirez", "Zuniga",
        "Flores", "Castro", "Alvarez", "Sabal", "Lino",
    ],
    two_surnames: 0.0,
};

/// Low German Mennonite names of Blue Creek, Shipyard and Spanish Lookout.
pub const MENNONITE: Community = Community {
    female: &[
        "Aganetha",
        "Helena",
        "Maria",
        "Susanna",
        "Katharina",
        "Anna",
        "Margaretha",
        "Elisabeth",
        "Sara",
        "Justina",
    ],
    male: &[
        "Johan",
        "Abram",
        "Jacob",
        "Peter",
        "Heinrich",
        "Cornelius",
        "Franz",
        "David",
        "Isaak",
        "Bernhard",
    ],
    surnames: &[
        "Friesen",
        "Dueck",
        "Wiebe",
        "Penner",
        "Reimer",
        "Thiessen",
        "Klassen",
        "Fehr",
        "Loewen",
        "Peters",
        "Giesbrecht",
        "Neufeld",
        "Rempel",
        "Harder",
        "Enns",
    ],
    two_surnames: 0.0,
};

/// Mexican names of Quintana Roo and Yucatán, with the Maya surnames common there.
pub const MEXICAN: Community = Community {
    female: &[
        "María Guadalupe",
        "María José",
        "Fernanda",
        "Guadalupe",
        "Daniela",
        "Adriana",
        "Verónica",
        "Alejandra",
        "Yazmín",
        "Mariana",
        "Leticia",
        "Citlali",
        "Ximena",
        "Rocío",
    ],
    male: &[
        "José Luis",
        "Juan Carlos",
        "Miguel Ángel",
        "Jesús",
        "Francisco",
        "Alejandro",
        "Luis Fernando",
        "Eduardo",
        "Ricardo",
        "Raúl",
        "Jorge",
        "Víctor Manuel",
        "Gerardo",
        "Iván",
    ],
    surnames: &[
        "Hernández",
        "García",
        "Martínez",
        "López",
        "González",
        "Pérez",
        "Rodríguez",
        "Sánchez",
        "Ramírez",
        "Cruz",
        "Flores",
        "Gómez",
        "May",
        "Chi",
        "Canché",
        "Pool",
        "Uc",
        "Balam",
        "Poot",
        "Ek",
        "Dzul",
        "Tun",
        "Cauich",
        "Chan",
        "Pech",
        "Xool",
        "Yam",
        "Ku",
        "Novelo",
        "Aguilar",
        "De la Cruz",
    ],
    two_surnames: 1.0,
};

/// Guatemalan names.
pub const GUATEMALAN: Community = Community {
    female: &["Ana Lucía", "Sandra", "Mirna", "Ingrid", "Brenda", "Glendy", "Heidy", "Karla"],
    male: &["Byron", "Édgar", "Otto", "Mynor", "Erick", "Selvin", "Walter", "Marvin"],
    surnames: &[
        "López",
        "García",
        "Pérez",
        "Hernández",
        "Morales",
        "Méndez",
        "Xicará",
        "Ajanel",
        "Tzul",
        "Cuc",
        "Coy",
        "Chávez",
        "Ruiz",
        "De León",
    ],
    two_surnames: 1.0,
};

/// Honduran and Salvadoran names.
pub const CENTRAL_AMERICAN: Community = Community {
    female: &["Dania", "Karla", "Wendy", "Yolany", "Reina", "Suyapa", "Iris", "Glenda"],
    male: &["Wilmer", "Nelson", "Denis", "Elvin", "Osman", "Josué", "Kevin", "Darwin"],
    surnames: &[
        "Martínez",
        "Hernández",
        "López",
        "Rodríguez",
        "Mejía",
        "Flores",
        "Zelaya",
        "Reyes",
        "Castro",
        "Pineda",
        "Banegas",
        "Ayala",
    ],
    two_surnames: 1.0,
};

/// Names of tourists from North America and Europe.
pub const VISITOR: Community = Community {
    female: &[
        "Emily",
        "Sarah",
        "Jennifer",
        "Laura",
        "Anna",
        "Sophie",
        "Emma",
        "Julia",
        "Charlotte",
        "Hannah",
        "Chloé",
        "Giulia",
    ],
    male: &[
        "Michael", "David", "James", "Robert", "Thomas", "Lukas", "Daniel", "Matthew", "Jonas", "Pierre",
        "Marco", "Oliver",
    ],
    surnames: &[
        "Smith",
        "Johnson",
        "Brown",
        "Miller",
        "Wilson",
        "Taylor",
        "Müller",
        "Schmidt",
        "Dubois",
        "Rossi",
        "Jensen",
        "O'Brien",
        "Van der Berg",
        "MacLeod",
        "Novak",
        "Larsen",
    ],
    two_surnames: 0.0,
};

/// A community's names.
#[derive(Debug, Clone, Copy)]
pub struct Community {
    /// Female given names.
    pub female: &'static [&'static str],
    /// Male given names.
    pub male: &'static [&'static str],
    /// Surnames.
    pub surnames: &'static [&'static str],
    /// The share of people who carry two surnames.
    pub two_surnames: f64,
}

/// Upper-case ASCII, as an MRZ (and the counter that scans it) writes a name.
pub fn mrz_style(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' => 'A',
            'é' | 'è' | 'ë' | 'ê' | 'É' => 'E',
            'í' | 'ï' | 'Í' => 'I',
            'ó' | 'ö' | 'ô' | 'Ó' => 'O',
            'ú' | 'ü' | 'Ú' | 'Ü' => 'U',
            'ñ' | 'Ñ' => 'N',
            'ç' => 'C',
            '\'' | '-' => ' ',
            c => c.to_ascii_uppercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
