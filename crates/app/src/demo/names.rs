//! Names of the people who cross this border, by community.
//!
//! Each list runs from the most common name to the rarest, and a draw follows that order the way
//! names are spread in a population: a name's share falls as `1 / (rank + RANK_OFFSET)`, so the
//! first Mexican surname (Hernández) takes about one draw in forty and the last one in a
//! thousand. A flat draw over a short list would make namesakes far commoner than they are.

use frontera_domain::Sex;
use rand::Rng;

/// Flattens the head of every list: with 12, the first of 286 surnames takes 2.5% of draws.
const RANK_OFFSET: f64 = 12.0;

/// Belizean Creole given names (female, male) and surnames.
#[rustfmt::skip]
pub const CREOLE: Community = Community {
    female: &[
        "Shanice", "Keisha", "Latoya", "Marcia", "Denise", "Sharon", "Andrea", "Tamika", "Jasmine", "Patrice",
        "Beverly", "Janelle", "Shantel", "Kimberly", "Natasha", "Monique", "Yolanda", "Sherlene", "Kendra",
        "Tanisha", "Rochelle", "Arlene", "Charmaine", "Dionne", "Yvonne", "Camille", "Lorraine", "Nadine",
        "Sheryl", "Althea", "Cheryl", "Doreen", "Ingrid", "Juliet", "Lenora", "Maxine", "Odette", "Rhonda",
        "Sonia", "Theresa", "Vernita", "Zoila", "Alisha", "Brittany", "Chantelle", "Danielle", "Ebony",
        "Felicity", "Georgia", "Heather", "Imani", "Jody", "Tricia", "Stacy", "Nicole", "Michelle", "Kimone",
        "Shakira", "Tiffany", "Crystal", "Jacqueline", "Latisha", "Ann Marie", "Alicia", "Angela", "Annette",
        "Audrey", "Barbara", "Bernadette", "Candace", "Carla", "Carol", "Claudette", "Colleen", "Cynthia",
        "Daphne", "Debbie", "Delcia", "Diane", "Dolly", "Donna", "Dorothy", "Elaine", "Ellen", "Esther",
        "Eulalie", "Evadne", "Gail", "Geraldine", "Gloria", "Grace", "Hazel", "Hyacinth", "Icilda", "Iris",
        "Janet", "Jennifer", "Joan", "Josephine", "Joyce", "Karen", "Kathleen", "Keila", "Kristy", "Leonie",
        "Linda", "Lorna", "Louise", "Lucille", "Marilyn", "Marjorie", "Marva", "Maureen", "Merlene",
        "Mildred", "Myrna", "Nadia", "Norma", "Olive", "Pamela", "Paulette", "Pearl", "Phyllis", "Priscilla",
        "Rosemarie", "Ruby", "Ruth", "Samantha", "Sandra", "Shawna", "Sheena", "Shirley", "Simone",
        "Stephanie", "Sybil", "Tanya", "Thelma", "Valerie", "Veronica", "Violet", "Wendy", "Zenaida",
        "Akeela", "Britney", "Chelsea", "Destiny", "Faith", "Jada", "Kaylee", "Latrice", "Makeda", "Naomi",
        "Precious", "Shaniqua", "Tamara", "Unique",
    ],
    male: &[
        "Dwayne", "Marlon", "Andre", "Kevin", "Delroy", "Leroy", "Wendell", "Shawn", "Rudolph", "Clement",
        "Everald", "Jermaine", "Anthony", "Bernard", "Calvin", "Desmond", "Errol", "Fitzgerald", "Gilbert",
        "Herbert", "Ivan", "Jerome", "Kareem", "Lennox", "Mervin", "Nigel", "Orlando", "Percival", "Rodney",
        "Sheldon", "Trevor", "Valentine", "Wilfred", "Alwyn", "Basil", "Cedric", "Dennis", "Elroy",
        "Franklin", "Garfield", "Horace", "Ivor", "Julian", "Kenroy", "Lloyd", "Melvin", "Neville", "Oswald",
        "Patrick", "Reynold", "Stanley", "Tyrone", "Michael", "Mark", "Gary", "Wayne", "Glenford", "Wilbert",
        "Winston", "Alfred", "Allan", "Arthur", "Barrington", "Brian", "Byron", "Carlton", "Cecil", "Charles",
        "Christopher", "Clifford", "Clinton", "Colin", "Conrad", "Curtis", "Darrell", "Dean", "Derrick",
        "Donald", "Douglas", "Earl", "Edwin", "Egbert", "Elvis", "Emmanuel", "Eugene", "Floyd", "Frederick",
        "George", "Gerald", "Glen", "Godfrey", "Harold", "Howard", "Hubert", "Ian", "Irvin", "Jason",
        "Jeffrey", "Joel", "John", "Joseph", "Keith", "Kenneth", "Kirk", "Lawrence", "Leonard", "Linsford",
        "Louis", "Lyndon", "Martin", "Maurice", "Milton", "Norman", "Oliver", "Oscar", "Paul", "Peter",
        "Philip", "Ralph", "Raymond", "Richard", "Robert", "Roland", "Ronald", "Roy", "Russell", "Samuel",
        "Sidney", "Steven", "Terrence", "Thomas", "Vincent", "Walter", "William", "Winfield", "Ashton",
        "Dalton", "Darnell", "Deshawn", "Elijah", "Isaiah", "Jamal", "Jaylon", "Kadeem", "Kemar", "Leon",
        "Malik", "Marvin", "Omari", "Quincy", "Shamar", "Tyrell",
    ],
    surnames: &[
        "Young", "Gillett", "Flowers", "Usher", "Tillett", "Garbutt", "Neal", "Lewis", "Staine", "Gentle",
        "Arnold", "Belisle", "Hyde", "Smith", "Augustine", "Bradley", "Gabourel", "Castillo", "Leslie",
        "Lindo", "Bennett", "Baptist", "Cadle", "Cattouse", "Dawson", "Ebanks", "Ferguson", "Gordon",
        "Gladden", "Hall", "Humes", "Jex", "Jones", "Kerr", "Lamb", "Locke", "McKenzie", "Meighan", "Myvett",
        "Nicholas", "Pitts", "Price", "Rhaburn", "Robinson", "Rowland", "Schofield", "Scott", "Slusher",
        "Swasey", "Tucker", "Vernon", "Walker", "Waight", "Welch", "Williams", "Wright", "Adolphus", "Aird",
        "Banner", "Barrow", "Bodden", "Burgess", "Codd", "Courtenay", "Dujon", "Faber", "Fuller", "Grinage",
        "Hulse", "Moody", "Oliver", "Peyrefitte", "Reneau", "Sutherland", "Trapp", "Thompson", "Martinez",
        "Daniels", "Hamilton", "Reid", "Gill", "Cayetano", "Eiley", "Card", "Dennison", "Dougal", "Eagan",
        "Fairweather", "Gabb", "Grant", "Hendy", "Hewlett", "Hinds", "Hunter", "Jeffery", "Jenkins",
        "Johnson", "King", "Knight", "Lashley", "Leacock", "Longsworth", "Lopez", "Lord", "Mahler", "Martin",
        "Matthews", "McFadzean", "McLaren", "McNab", "Middleton", "Miller", "Mitchell", "Morgan", "Morris",
        "Moss", "Murray", "Nisbet", "Nunez", "Palacio", "Parham", "Perdomo", "Pollard", "Porter", "Quallo",
        "Ramclam", "Richards", "Roberts", "Rogers", "Ross", "Sampson", "Saldivar", "Shoman", "Simmons",
        "Sosa", "Stewart", "Straughan", "Stuart", "Sutton", "Swift", "Taylor", "Thurton", "Tun", "Valerio",
        "Vasquez", "Wade", "Wagner", "Ward", "Warren", "Westby", "White", "Wilkinson", "Wills", "Wilson",
        "Woods", "Yearwood", "Zetina", "Allen", "Anderson", "Armstrong", "Bailey", "Barnes", "Bell", "Bevans",
        "Blease", "Bowen", "Brown", "Buller", "Burn", "Campbell", "Carr", "Cassasola", "Clarke", "Coleman",
        "Cooper", "Craig", "Crawford", "Cuthkelvin", "Davis", "Dixon", "Dyer", "Edwards", "Ellis", "Evans",
        "Fisher", "Fraser", "Garnett", "Gibson", "Godfrey", "Gomez", "Gray", "Green", "Griffith", "Haylock",
        "Heusner", "Hill", "Holder", "Jackson", "James", "Kelly", "Lee", "Lovell", "Marshalleck", "Muschamp",
        "Myers", "Parks", "Pascascio", "Phillips", "Pook", "Reyes", "Robateau", "Ramirez", "Shaw", "Sharp",
        "Sheppard", "Tench", "Walters", "Wesby", "Whittaker",
    ],
    two_surnames: 0.0,
};

/// Belizean Mestizo names (northern districts, Corozal and Orange Walk).
#[rustfmt::skip]
pub const MESTIZO: Community = Community {
    female: &[
        "María", "Rosa", "Ana", "Gabriela", "Yesenia", "Marisol", "Leticia", "Dalila", "Sandra", "Elsa",
        "Karina", "Rosalía", "Josefina", "Lourdes", "Guadalupe", "Esperanza", "Margarita", "Teresa", "Alicia",
        "Beatriz", "Carmen", "Dolores", "Emilia", "Fabiola", "Gloria", "Hilda", "Irma", "Jacqueline", "Lidia",
        "Mercedes", "Nelly", "Olga", "Paola", "Rebeca", "Silvia", "Victoria", "Wilma", "Yadira", "Zulema",
        "Araceli", "Blanca", "Cecilia", "Dinora", "Erika", "Flor", "Griselda", "Ivonne", "Judith", "Liliana",
        "Magdalena", "Noemi", "Patricia", "Raquel", "Sonia", "Tania", "Vilma", "Yolanda", "Maritza", "Rosita",
        "Aracely", "Cindy", "Delmy", "Elvia", "Eneida", "Estela", "Evelyn", "Gladys", "Idalia", "Ileana",
        "Iris", "Jazmín", "Juanita", "Julia", "Karla", "Leydi", "Lucila", "Lucía", "Luz", "Maribel", "Martha",
        "Mirna", "Mirian", "Nidia", "Norma", "Reina", "Rosario", "Ruth", "Sofía", "Susana", "Telma",
        "Veronica", "Wendy", "Xiomara", "Yamileth", "Zoila", "Adelina", "Adriana", "Aida", "Amparo",
        "Angelina", "Aurora", "Bertha", "Candelaria", "Claudia", "Concepción", "Dalia", "Delia", "Edith",
        "Elena", "Elida", "Elvira", "Esther", "Eva", "Felipa", "Francisca", "Gilda", "Graciela", "Herminia",
        "Isabel", "Jovita", "Laura", "Leonor", "Lilia", "Lorena", "Marcela", "Marina", "Mayra", "Mónica",
        "Nancy", "Nora", "Ofelia", "Perla", "Petrona", "Ramona", "Rosalinda", "Sara", "Socorro", "Trinidad",
        "Vanessa", "Virginia", "Yanira", "Yesica",
    ],
    male: &[
        "José", "Juan", "Luis", "Jorge", "Rolando", "Hilberto", "Wilfredo", "Ángel", "Armando", "Efraín",
        "Rigoberto", "Santiago", "Juan Carlos", "Pedro", "Miguel Ángel", "Roberto", "Rodolfo", "Ricardo",
        "Sergio", "Tomás", "Víctor", "Abelardo", "Bernardino", "Cristóbal", "Diego", "Fernando", "Gilberto",
        "Hugo", "Ignacio", "Jaime", "Leonel", "Manuel", "Nicolás", "Octavio", "Pablo", "Rafael", "Salvador",
        "Teodoro", "Ulises", "Agustín", "Benito", "Cecilio", "Daniel", "Eduardo", "Francisco", "Gerardo",
        "Héctor", "Isidro", "Javier", "Lorenzo", "Mario", "Néstor", "Carlos", "Marcos", "Alfredo", "Arturo",
        "Alberto", "Andrés", "Antonio", "Aurelio", "Bernardo", "Carmelo", "César", "Dionisio", "Edgar",
        "Eduviges", "Elías", "Emilio", "Enrique", "Ernesto", "Esteban", "Eugenio", "Ezequiel", "Felipe",
        "Félix", "Filiberto", "Florencio", "Gabriel", "Gaspar", "Gregorio", "Guadalupe", "Guillermo",
        "Heriberto", "Hermenegildo", "Humberto", "Ismael", "Jacinto", "Jesús", "Joel", "Julio", "Leonardo",
        "Lucio", "Marcelino", "Martín", "Mauricio", "Moisés", "Noel", "Orlando", "Pascual", "Ramiro", "Ramón",
        "Raúl", "Reynaldo", "Rubén", "Samuel", "Saúl", "Sebastián", "Silvano", "Simón", "Valentín", "Vicente",
        "Wilberto", "Wilmer", "Alejandro", "Anselmo", "Baltazar", "Clemente", "Demetrio", "Eleuterio",
        "Evaristo", "Faustino", "Feliciano", "Fidencio", "Genaro", "Hipólito", "Juvencio", "Lázaro",
        "Macedonio", "Narciso", "Patricio", "Porfirio", "Santos",
    ],
    surnames: &[
        "Pech", "Magaña", "Ayuso", "Novelo", "Canul", "Castillo", "Reyes", "Vasquez", "Cervantes", "Rosado",
        "Rancharan", "Carballo", "Uck", "Blanco", "Briceño", "Cobb", "Herrera", "Rivero", "Vega", "Salazar",
        "Aguilar", "Alcoser", "Ancona", "Andrade", "Baeza", "Barrera", "Bautista", "Cámara", "Cano",
        "Carrillo", "Chable", "Chan", "Cocom", "Cruz", "Escalante", "Espadas", "Espat", "Figueroa", "Gómez",
        "Guerrero", "Gutiérrez", "Ixcaya", "Kumul", "Leiva", "Lizama", "Manzanero", "Marín", "Medina", "Mena",
        "Moguel", "Montejo", "Narváez", "Ortega", "Osorio", "Patrón", "Pacheco", "Pérez", "Pott", "Puc",
        "Quintal", "Rejón", "Requena", "Rosales", "Sosa", "Tamay", "Tun", "Valdez", "Vera", "Villanueva",
        "Yam", "Zetina", "Azueta", "Balam", "Burgos", "Canto", "Coyí", "Dzib", "Ek", "Euan", "Lara", "Loría",
        "Moh", "Pat", "Sabido", "Urbina", "Cal", "Castro", "Cawich", "Ciau", "Coba", "Cuevas", "Cuellar",
        "Domínguez", "Flota", "Góngora", "Guzmán", "Hernández", "Itzab", "Juárez", "Lopez", "Martínez",
        "Méndez", "Moreno", "Núñez", "Ortiz", "Parra", "Pinelo", "Ramírez", "Rodríguez", "Romero", "Ruiz",
        "Sánchez", "Santos", "Tillett", "Uh", "Us", "Vargas", "Vellos", "Villamil", "Xix", "Alamilla",
        "Arceo", "Avilez", "Baños", "Bol", "Canché", "Catzim", "Cervera", "Correa", "Cowo", "Cucul", "Dzul",
        "Guerra", "Mai", "May", "Mis", "Noh", "Ojeda", "Quetzal", "Rivera", "Tzul", "Uk", "Zabaneh", "Acosta",
        "Alpuche", "Amaya", "Ayala", "Bacab", "Balán", "Cardona", "Carrasco", "Casanova", "Chi", "Chuc",
        "Cuxil", "Díaz", "Escobar", "Fuentes", "Garcia", "Gonzalez", "Iturriaga", "Jimenez", "Lima", "Mejía",
        "Molina", "Montalvo", "Patt", "Pineda", "Poot", "Quiroz", "Ramos", "Salgado", "Torres", "Trejo",
        "Tzib", "Ucan", "Zuniga",
    ],
    two_surnames: 0.3,
};

/// Mopan, Q'eqchi' and Yucatec Maya names of Belize.
#[rustfmt::skip]
pub const MAYA: Community = Community {
    female: &[
        "Juana", "Petrona", "Marcelina", "Aurelia", "Francisca", "Cristina", "Isabel", "Dominga", "Micaela",
        "Rosario", "Agustina", "Catarina", "Josefa", "Manuela", "Sebastiana", "Tomasa", "Candelaria",
        "Eusebia", "Gregoria", "Leonarda", "Margarita", "Natividad", "Paulina", "Romana", "Vicenta",
        "Anastasia", "Bartola", "Hermelinda", "Ana", "Angelina", "Antonia", "Benedicta", "Carmen", "Clara",
        "Concepción", "Elena", "Elvira", "Emiliana", "Eulalia", "Felipa", "Fidelia", "Florentina",
        "Guadalupe", "Ignacia", "Inés", "Juliana", "Lorenza", "Lucía", "María", "Marta", "Matilde", "Modesta",
        "Olivia", "Paula", "Pascuala", "Regina", "Rosa", "Santos", "Serafina", "Silvestra", "Sofía",
        "Teodora", "Teresa", "Virginia", "Zenaida", "Albertina", "Amalia", "Bernarda", "Cecilia", "Dolores",
        "Eugenia", "Fermina", "Herminia", "Josefina", "Leonor", "Marcela", "Nicolasa", "Rufina",
    ],
    male: &[
        "Santiago", "Marcos", "Pablo", "Domingo", "Cruz", "Aurelio", "Valentino", "Alfonso", "Basilio",
        "Cirilo", "Feliciano", "Gaspar", "Hilario", "Jacinto", "Lucas", "Mateo", "Nicolás", "Pascual",
        "Rosendo", "Simón", "Teodoro", "Valentín", "Andrés", "Benedicto", "Gregorio", "Isidro", "Juan",
        "Manuel", "Pedro", "Francisco", "José", "Miguel", "Antonio", "Martín", "Ernesto", "Santos", "Rafael",
        "Celestino", "Cipriano", "Dionisio", "Eleuterio", "Emeterio", "Estanislao", "Fermín", "Fidel",
        "Florencio", "Ignacio", "Justino", "Leandro", "Luciano", "Macario", "Marcelino", "Máximo", "Nazario",
        "Patricio", "Pío", "Rosalío", "Silverio", "Venancio", "Victoriano", "Agapito", "Ambrosio", "Anselmo",
        "Bonifacio", "Clemente", "Cornelio", "Damián", "Eusebio", "Faustino", "Gilberto", "Hermenegildo",
        "Inocente", "Juventino", "Lorenzo", "Melchor", "Reymundo", "Tiburcio",
    ],
    surnames: &[
        "Coc", "Choc", "Bol", "Sho", "Tzib", "Cal", "Pop", "Teck", "Chub", "Ical", "Makin", "Cho", "Saqui",
        "Chen", "Xi", "Ack", "Akab", "Assi", "Bo", "Caal", "Cac", "Cacao", "Coh", "Cuc", "Cucul", "Ico",
        "Ishim", "Kus", "Maquin", "Mes", "Oh", "Pau", "Pec", "Quib", "Rax", "Sam", "Sub", "Tut", "Tush",
        "Yaxcal", "Ba", "Chiac", "Chun", "Ixim", "Mo", "Paau", "Sacul", "Shal", "Tiul", "Xol", "Teul", "Cus",
        "Choco", "Cuz", "Max", "Mucu", "Ohom", "Pan", "Poou", "Salam", "Sanchez", "Shol", "Tzalam", "Xo",
        "Cahal", "Canti", "Coye", "Mis", "Rash", "Tec", "Tzir", "Wichu", "Yaw", "Caliz", "Ash", "Jucub",
        "Kuc", "Maas", "Mai", "Quiroz", "Yuk",
    ],
    two_surnames: 0.2,
};

/// Garifuna names.
#[rustfmt::skip]
pub const GARIFUNA: Community = Community {
    female: &[
        "Felicia", "Sylvia", "Roberta", "Ephrasia", "Lucila", "Virginia", "Clara", "Norma", "Agatha",
        "Benita", "Celestina", "Dorotea", "Eugenia", "Filomena", "Gregoria", "Herminia", "Inocenta",
        "Jacinta", "Leonora", "Marcelina", "Olivia", "Petrona", "Rufina", "Sebastiana", "Teodora", "Urbana",
        "Victoria", "Wilhelmina", "Aurora", "Bernardina", "Carmela", "Dionisia", "Emelda", "Francisca",
        "Gertrudis", "Isidora", "Juliana", "Lucinda", "Marciana", "Nicolasa", "Ofelia", "Pascuala",
        "Rosalind", "Simeona", "Tomasa", "Ursula", "Yvette", "Angela", "Bridget", "Catalina", "Consuelo",
        "Daisy", "Evangelina", "Fabiana", "Genoveva", "Hortensia", "Irene", "Josefa", "Leonarda", "Marcela",
        "Natividad", "Paula", "Rosa", "Sabina", "Sofia", "Teresa", "Valentina", "Zenaida", "Anita",
        "Beatrice", "Cecilia", "Delfina", "Elvira", "Florencia", "Gladys", "Hilda", "Isabel", "Juana",
        "Lourdes", "Maria", "Nora", "Olga", "Prudencia", "Reina", "Santa", "Trinidad", "Vivian", "Wilma",
    ],
    male: &[
        "Andy", "Felix", "Paul", "Austin", "Justo", "Martin", "Aurelio", "Sebastian", "Augustine", "Bernardo",
        "Cipriano", "Eusebio", "Florencio", "Gregorio", "Herbert", "Ignacio", "Leopoldo", "Nolberto",
        "Rufino", "Teodoro", "Wilfredo", "Alberto", "Cecilio", "Dionisio", "Faustino", "Hipólito", "Alfonso",
        "Anselmo", "Benigno", "Cayetano", "Damian", "Ezequiel", "Francisco", "Gilberto", "Hilario", "Isidoro",
        "Joseph", "Lucio", "Marcial", "Nazario", "Pablo", "Remigio", "Santiago", "Timoteo", "Valentin",
        "Wilfred", "Abraham", "Bartolo", "Camilo", "Desiderio", "Evaristo", "Fermin", "Gustavo", "Hector",
        "Ismael", "Jacinto", "Leonardo", "Mateo", "Narciso", "Octavio", "Patricio", "Raymond", "Simon",
        "Tomas", "Vicente", "Alex", "Clifford", "Dalton", "Ellis", "Frank", "George", "Henry", "James",
        "Kenny", "Louis", "Melvin", "Norman", "Oscar", "Peter", "Roy", "Stanley", "Thomas", "Vernon",
        "William",
    ],
    surnames: &[
        "Martinez", "Nunez", "Palacio", "Arana", "Cayetano", "Lambey", "Avila", "Ramirez", "Zuniga", "Flores",
        "Castro", "Alvarez", "Sabal", "Lino", "Alvarado", "Aranda", "Bernardez", "Blanco", "Castillo",
        "Cacho", "Diego", "Enriquez", "Fernandez", "Francisco", "Gonzalez", "Guerrero", "Lopez", "Mejia",
        "Miranda", "Moreira", "Nicholas", "Ordoñez", "Paulino", "Reyes", "Rochez", "Sambula", "Suazo",
        "Valentine", "Velasquez", "Williams", "Ellis", "Gutierrez", "Marin", "Benguche", "Bermudez",
        "Casimiro", "Cordova", "Coleman", "Daniels", "David", "Estrada", "Figueroa", "Gamboa", "Garcia",
        "Gotay", "Guity", "Hernandez", "Ignacio", "Lewis", "Loredo", "Lucas", "Mariano", "Mena", "Moralez",
        "Noralez", "Pandy", "Perez", "Polonio", "Ramos", "Rodriguez", "Sabio", "Sanchez", "Santino", "Serano",
        "Solis", "Tolin", "Augustine", "Baptist", "Bregal", "Cabral", "Cardenas", "Centeno", "Clothier",
        "Joseph", "Lorenzo", "Nolberto", "Thomas", "Ventura", "Wiltshire", "Amaya", "Colon", "Diaz",
        "Marcial", "Melendez", "Sacasa", "Torres",
    ],
    two_surnames: 0.0,
};

/// Low German Mennonite names of Blue Creek, Shipyard and Spanish Lookout.
#[rustfmt::skip]
pub const MENNONITE: Community = Community {
    female: &[
        "Aganetha", "Helena", "Maria", "Susanna", "Katharina", "Anna", "Margaretha", "Elisabeth", "Sara",
        "Justina", "Agatha", "Anni", "Eva", "Frieda", "Gertrude", "Greta", "Irma", "Johanna", "Judith",
        "Lena", "Liese", "Martha", "Neta", "Rosa", "Tina", "Wilma", "Adina", "Doris", "Erna", "Hilda",
        "Margaret", "Katie", "Annie", "Susie", "Mary", "Elizabeth", "Helen", "Agnes", "Elsie", "Sarah",
        "Nettie", "Lisa", "Kornelia", "Marie", "Anganetha", "Gerta", "Magdalena", "Regina", "Rebecca", "Ruth",
        "Esther", "Lydia", "Naomi", "Emma", "Olga", "Paula", "Tena", "Marlene", "Edna", "Hildegard",
    ],
    male: &[
        "Johan", "Abram", "Jacob", "Peter", "Heinrich", "Cornelius", "Franz", "David", "Isaak", "Bernhard",
        "Dietrich", "Gerhard", "Jakob", "Johann", "Klaas", "Martin", "Wilhelm", "Aron", "Benjamin", "Ernst",
        "Henry", "Diedrich", "Tobias", "Abraham", "John", "Jake", "Frank", "Abe", "Isaac", "Bernie", "Corny",
        "Dave", "Ben", "George", "Herman", "Daniel", "Paul", "Philipp", "Samuel", "Andreas", "Erdmann",
        "Hans", "Kornelius", "Levi", "Lorenz", "Menno", "Nikolai", "Otto", "Rudolf", "Thomas", "Walter",
        "Willi", "Aaron", "Edward",
    ],
    surnames: &[
        "Friesen", "Dueck", "Wiebe", "Penner", "Reimer", "Thiessen", "Klassen", "Fehr", "Loewen", "Peters",
        "Giesbrecht", "Neufeld", "Rempel", "Harder", "Enns", "Banman", "Bergen", "Braun", "Bueckert",
        "Doerksen", "Dyck", "Ens", "Epp", "Froese", "Funk", "Ginter", "Goertzen", "Hiebert", "Janzen",
        "Kehler", "Knelsen", "Krahn", "Kroeker", "Martens", "Neudorf", "Plett", "Ratzlaff", "Sawatzky",
        "Schmitt", "Teichroeb", "Toews", "Unger", "Wall", "Warkentin", "Zacharias", "Bartsch", "Blatz",
        "Boldt", "Buhler", "Derksen", "Driedger", "Esau", "Falk", "Fast", "Guenther", "Hamm", "Heide",
        "Hildebrand", "Isaak", "Kauenhowen", "Klippenstein", "Koop", "Kornelsen", "Krause", "Lepp",
        "Letkeman", "Nickel", "Olfert", "Pauls", "Quiring", "Redekop", "Regehr", "Sawatsky", "Schellenberg",
        "Siemens", "Stoesz", "Suderman", "Voth", "Wieler", "Wiens", "Wohlgemuth",
    ],
    two_surnames: 0.0,
};

/// Mexican names of Quintana Roo and Yucatán, with the Maya surnames common there.
#[rustfmt::skip]
pub const MEXICAN: Community = Community {
    female: &[
        "María Guadalupe", "María José", "Fernanda", "Guadalupe", "Daniela", "Adriana", "Verónica",
        "Alejandra", "Yazmín", "Mariana", "Leticia", "Citlali", "Ximena", "Rocío", "Ana Karen", "Berenice",
        "Claudia", "Diana", "Elizabeth", "Fabiola", "Gabriela", "Irene", "Jazmín", "Karla", "Lizbeth",
        "Miriam", "Nayeli", "Paulina", "Rosa María", "Sofía", "Tania", "Valeria", "Wendy", "Yesenia", "Zaira",
        "Alma", "Brenda", "Carolina", "Dulce", "Estefanía", "Frida", "Gisela", "Itzel", "Josefina", "Lucía",
        "Marisol", "Norma", "Patricia", "Regina", "Silvia", "Teresa", "Viridiana", "Abigail", "Andrea",
        "Beatriz", "Cecilia", "Denisse", "Esmeralda", "María del Carmen", "Juana", "Margarita", "María Elena",
        "Rosa", "Francisca", "Ana María", "Araceli", "Martha", "Alicia", "Yolanda", "Gloria", "Laura",
        "Maribel", "Isabel", "Sandra", "Lorena", "Luz María", "Angélica", "Adela", "Ana Laura",
        "María Fernanda", "Alejandra Guadalupe", "Ana Gabriela", "Ana Paula", "Andrea Guadalupe", "Antonia",
        "Aracely", "Aurora", "Azucena", "Blanca Estela", "Carmen", "Catalina", "Concepción", "Consuelo",
        "Cristina", "Dolores", "Edith", "Elena", "Elvira", "Erika", "Esperanza", "Estela", "Eva",
        "Gabriela Guadalupe", "Graciela", "Hilda", "Irma", "Isela", "Itzayana", "Janeth", "Jaqueline",
        "Jessica", "Jimena", "Juana María", "Julieta", "Karen", "Karina", "Leonor", "Lilia", "Liliana",
        "Lourdes", "Luisa", "Luz", "Magdalena", "Manuela", "Marcela", "María de Jesús",
        "María de los Ángeles", "María de Lourdes", "María Isabel", "María Luisa", "María Teresa",
        "María Concepción", "María Cristina", "María Dolores", "María Eugenia", "María Magdalena", "Maricela",
        "Marina", "Mayra", "Minerva", "Mireya", "Mónica", "Nancy", "Natalia", "Nohemí", "Olga", "Perla",
        "Raquel", "Rebeca", "Reyna", "Rosalba", "Rosario", "Rosaura", "Ruth", "Sara", "Socorro", "Susana",
        "Teresita", "Trinidad", "Vanessa", "Victoria", "Yadira", "Yesica", "Yuliana", "Zoila", "Aide",
        "Anahí", "Arely", "Belén", "Brisa", "Camila", "Dayana", "Elisa", "Fátima", "Gladys", "Ivonne",
        "Jacqueline", "Jovita", "Kenia", "Lidia", "Lucero", "Lupita", "Marlene", "Melissa", "Nayely",
        "Ofelia", "Pamela", "Renata", "Romina", "Samantha", "Tere", "Valentina", "Wendolyn", "Xóchitl",
        "Yareli",
    ],
    male: &[
        "José Luis", "Juan Carlos", "Miguel Ángel", "Jesús", "Francisco", "Alejandro", "Luis Fernando",
        "Eduardo", "Ricardo", "Raúl", "Jorge", "Víctor Manuel", "Gerardo", "Iván", "Fernando", "Roberto",
        "Sergio", "Arturo", "Javier", "Manuel", "Antonio", "Alberto", "Enrique", "Héctor", "Óscar", "Rubén",
        "Salvador", "Ramón", "Julio César", "Hugo", "Mario", "Andrés", "Ángel", "Armando", "Benjamín",
        "Carlos", "Daniel", "David", "Emilio", "Gustavo", "Joaquín", "Leonardo", "Mauricio", "Pablo",
        "Rodrigo", "Tomás", "José", "Juan", "Luis", "Miguel", "Pedro", "José Antonio", "Jorge Luis",
        "José Manuel", "Juan Manuel", "Francisco Javier", "Jesús Manuel", "Luis Alberto", "José Alberto",
        "Mario Alberto", "Juan Antonio", "José Guadalupe", "José de Jesús", "Juan José", "José Francisco",
        "José Ángel", "Jorge Alberto", "Luis Ángel", "Marco Antonio", "Carlos Alberto", "Víctor Hugo",
        "José Eduardo", "Jesús Alberto", "Adrián", "Agustín", "Alfonso", "Alfredo", "Álvaro", "Abel",
        "Abraham", "Alan", "Alonso", "Ángel de Jesús", "Aurelio", "Bernardo", "Bruno", "César", "Cristian",
        "Cristóbal", "Diego", "Domingo", "Edgar", "Efraín", "Eliseo", "Emmanuel", "Erick", "Ernesto",
        "Esteban", "Eugenio", "Ezequiel", "Federico", "Felipe", "Fidel", "Gabriel", "Genaro", "Gilberto",
        "Gonzalo", "Guillermo", "Heriberto", "Humberto", "Ignacio", "Isaac", "Ismael", "Israel", "Jaime",
        "Jacinto", "Jonathan", "Josué", "Julián", "Leonel", "Lorenzo", "Marcos", "Martín", "Mateo", "Moisés",
        "Nicolás", "Noé", "Omar", "Orlando", "Osvaldo", "Pascual", "Rafael", "Ramiro", "Raymundo", "Reynaldo",
        "Rigoberto", "Rogelio", "Rolando", "Santiago", "Saúl", "Sebastián", "Silvestre", "Teodoro", "Ulises",
        "Valentín", "Vicente", "Wilberth", "Wilbert", "Yair", "Zacarías", "Aarón", "Amado", "Baltazar",
        "Benito", "Candelario", "Crescencio", "Damián", "Eleazar", "Elías", "Emiliano", "Fausto", "Florencio",
        "Gaspar", "Hilario", "Inocencio", "Isidro", "Jacobo", "Jerónimo", "Leobardo", "Lucio", "Macario",
        "Marcelino", "Maximiliano", "Nazario", "Pánfilo", "Porfirio", "Rosendo", "Severiano", "Timoteo",
        "Urbano", "Wenceslao",
    ],
    surnames: &[
        "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez",
        "Cruz", "Flores", "Gómez", "May", "Chi", "Canché", "Pool", "Uc", "Balam", "Poot", "Ek", "Dzul", "Tun",
        "Cauich", "Chan", "Pech", "Xool", "Yam", "Ku", "Novelo", "Aguilar", "De la Cruz", "Abán", "Alcocer",
        "Baas", "Bacab", "Bautista", "Cab", "Can", "Castro", "Cetina", "Chablé", "Che", "Chim", "Cime",
        "Cocom", "Couoh", "Cupul", "Díaz", "Dzib", "Euán", "Estrada", "Gamboa", "Góngora", "Hau", "Herrera",
        "Itzá", "Jiménez", "Kantún", "Kuk", "Lara", "Mendoza", "Mex", "Moo", "Morales", "Noh", "Ortiz", "Pat",
        "Puc", "Quijano", "Reyes", "Ruiz", "Sosa", "Tuz", "Ucán", "Vázquez", "Villanueva", "Xiu", "Zapata",
        "Ávila", "Camal", "Canul", "Caamal", "Cel", "Chuc", "Interián", "Medina", "Ojeda", "Peraza", "Rosado",
        "Santos", "Torres", "Gutiérrez", "Ramos", "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez",
        "Domínguez", "Castillo", "Moreno", "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "Contreras",
        "Salazar", "Luna", "Ortega", "Santiago", "Guerrero", "Rosales", "Delgado", "Acosta", "Ríos",
        "Sandoval", "Fernández", "Navarro", "Cortés", "Mejía", "Soto", "Campos", "Vega", "Maldonado",
        "Carrillo", "Núñez", "Ibarra", "Pacheco", "Cervantes", "Valdez", "Espinoza", "Rubio", "Cabrera",
        "Ayala", "León", "Lozano", "Molina", "Salinas", "Trejo", "Silva", "Zamora", "Montes", "Solís",
        "Orozco", "Fuentes", "Padilla", "Robles", "Mora", "Meza", "Calderón", "Escobar", "Lugo", "Rangel",
        "Nava", "Serrano", "Peña", "Márquez", "Vera", "Franco", "Valencia", "Ochoa", "Benítez", "Hidalgo",
        "Arellano", "Sierra", "Ponce", "Cárdenas", "Arias", "Pineda", "Galván", "Aguirre", "Rocha", "Bernal",
        "Avendaño", "Villegas", "Marín", "Zúñiga", "Bravo", "Barrera", "Beltrán", "Tapia", "Miranda",
        "Ocampo", "Olvera", "Macías", "Escalante", "Valle", "Montero", "Osorio", "Salas", "Correa", "Cano",
        "Trujillo", "Villa", "Figueroa", "Carmona", "Camacho", "Esquivel", "Ceballos", "Cen", "Cohuo", "Ake",
        "Baeza", "Batun", "Be", "Cahuich", "Catzín", "Chac", "Chalé", "Chay", "Chel", "Chin", "Chuil", "Ciau",
        "Cituk", "Coyoc", "Cutz", "Dzay", "Hoil", "Huchim", "Itzab", "Kanxoc", "Keb", "Kinil", "Koh", "Kumul",
        "Kuyoc", "Matú", "Mis", "Mukul", "Naal", "Nah", "Och", "Pisté", "Puch", "Sulub", "Tamayo", "Tec",
        "Tuyub", "Tzab", "Tzec", "Tzuc", "Uicab", "Xix", "Yah", "Yeh", "Aguayo", "Albornoz", "Ancona",
        "Argáez", "Arjona", "Azcorra", "Barbosa", "Bastarrachea", "Briceño", "Burgos", "Cámara", "Canto",
        "Castellanos", "Cervera", "Espadas", "Garrido", "Gasque", "Loría", "Lizama", "Manzanero", "Mena",
        "Montalvo", "Osalde", "Patrón", "Peniche", "Pinto", "Polanco", "Quintal", "Rejón", "Ruz", "Sabido",
        "Sansores", "Sauri", "Tello", "Várguez", "Vela", "Villamil", "Zavala",
    ],
    two_surnames: 1.0,
};

/// Guatemalan names.
#[rustfmt::skip]
pub const GUATEMALAN: Community = Community {
    female: &[
        "Ana Lucía", "Sandra", "Mirna", "Ingrid", "Brenda", "Glendy", "Heidy", "Karla", "Alba", "Blanca",
        "Carmen", "Dora", "Elvira", "Floridalma", "Gladys", "Hortensia", "Irma", "Jessica", "Lesbia",
        "Marleny", "Nidia", "Olga", "Paola", "Rosaura", "Sonia", "Telma", "Vilma", "Zoila", "María", "Rosa",
        "Ana", "Marta", "Lilian", "Gloria", "Aura", "Miriam", "Lucía", "Ana María", "María José", "Andrea",
        "Astrid", "Beatriz", "Brenda Lisseth", "Carla", "Claudia", "Delia", "Dulce", "Edna", "Elsa", "Emilia",
        "Esperanza", "Evelyn", "Flor de María", "Francisca", "Gabriela", "Griselda", "Heidi", "Hilda",
        "Isabel", "Jackeline", "Juana", "Julia", "Karen", "Leticia", "Lidia", "Lourdes", "Magaly", "Marina",
        "Maritza", "Mayra", "Mercedes", "Mónica", "Nancy", "Norma", "Patricia", "Petrona", "Reyna", "Rocío",
        "Rosario", "Rutilia", "Sandra Patricia", "Silvia", "Susana", "Tomasa", "Verónica", "Wendy", "Yesenia",
        "Yolanda", "Zulma", "Ilse", "Katherine", "Lesly", "Lourdes Marina", "Mildred", "Sindy",
    ],
    male: &[
        "Byron", "Édgar", "Otto", "Mynor", "Erick", "Selvin", "Walter", "Marvin", "Alberto", "Cristian",
        "Elmer", "Fredy", "Gustavo", "Henry", "Juan José", "Kevin", "Luis", "Nery", "Osman", "Rony",
        "William", "Wilson", "José", "Juan", "Carlos", "Jorge", "Mario", "Manuel", "Pedro", "Francisco",
        "Miguel", "Antonio", "Julio", "César", "Hugo", "Rafael", "Roberto", "Sergio", "Víctor", "Oscar",
        "Estuardo", "Gerson", "Allan", "Anibal", "Axel", "Baudilio", "Brayan", "Darwin", "Diego", "Eddy",
        "Eduardo", "Ever", "Fausto", "Fernando", "Gilberto", "Héctor", "Hilario", "Jaime", "Jeferson",
        "Jonatan", "Josué", "Leonel", "Lester", "Marco Tulio", "Mauricio", "Mynor Rolando", "Nelson",
        "Obdulio", "Pablo", "Ramiro", "Ricardo", "Rigoberto", "Rubén", "Saúl", "Sebastián", "Tomás", "Ubaldo",
        "Vinicio", "Waldemar", "Werner", "Wilmer", "Yeison", "Abner", "Aroldo", "Baltazar", "Cándido",
        "Domingo", "Efraín", "Feliciano", "Gaspar", "Gregorio", "Isidro", "Lucas", "Marcos", "Mateo",
        "Nicolás", "Pascual", "Santos",
    ],
    surnames: &[
        "López", "García", "Pérez", "Hernández", "Morales", "Méndez", "Xicará", "Ajanel", "Tzul", "Cuc",
        "Coy", "Chávez", "Ruiz", "De León", "Ajcú", "Alvarado", "Barrios", "Batz", "Calel", "Cardona",
        "Castillo", "Chacón", "Cifuentes", "Coyoy", "Estrada", "Godínez", "Gómez", "Juárez", "Lima",
        "Mazariegos", "Monterroso", "Orellana", "Ordóñez", "Osorio", "Quiché", "Ramírez", "Recinos",
        "Samayoa", "Sic", "Tum", "Velásquez", "Xajil", "Yax", "Zacarías", "González", "Rodríguez", "Martínez",
        "Reyes", "Cruz", "Flores", "Ramos", "Aguilar", "Mejía", "Sánchez", "Girón", "Escobar", "Ortiz",
        "Vásquez", "Marroquín", "Figueroa", "Cabrera", "Herrera", "Jiménez", "Mendoza", "Monzón", "Paz",
        "Rivera", "Salazar", "Solórzano", "Castañeda", "Contreras", "Díaz", "Arévalo", "Argueta", "Arriaza",
        "Ávila", "Bámaca", "Boror", "Cáceres", "Caal", "Choc", "Chub", "Coc", "Cojtí", "Culajay", "Cúmez",
        "Curruchiche", "Cutzal", "Escobedo", "Galindo", "Gramajo", "Guzmán", "Ixcot", "Lacán", "Lemus",
        "Marín", "Maldonado", "Mux", "Noj", "Ochoa", "Orozco", "Pacay", "Patzán", "Pirir", "Pop", "Quej",
        "Quiñónez", "Rax", "Rosales", "Sagastume", "Sequén", "Sical", "Simón", "Sosa", "Tax", "Tecún", "Tiul",
        "Toj", "Túnchez", "Ucelo", "Us", "Vicente", "Villatoro", "Xoy", "Yat", "Zapeta", "Zet", "Ajpop",
        "Álvarez", "Arana", "Arreaga", "Barillas", "Búcaro", "Canel", "Carrillo", "Chocooj", "Chojolán",
        "Cotí", "Cuxil", "Donis", "Elías", "Fajardo", "Fuentes", "Guerra", "Gutiérrez", "Hichos", "Ical",
        "Juracán", "Lux", "Mazate", "Menchú", "Muñoz", "Najarro", "Pappa", "Pineda", "Polanco", "Puac",
        "Raxón", "Rodas", "Santizo", "Soto", "Tzoc", "Vail", "Yoc",
    ],
    two_surnames: 1.0,
};

/// Honduran and Salvadoran names.
#[rustfmt::skip]
pub const CENTRAL_AMERICAN: Community = Community {
    female: &[
        "Dania", "Karla", "Wendy", "Yolany", "Reina", "Suyapa", "Iris", "Glenda", "Ana", "Belinda", "Cindy",
        "Daysi", "Elena", "Fanny", "Gloria", "Heydi", "Ingrid", "Jessenia", "Kenia", "Lesly", "Maritza",
        "Nelsy", "Orfa", "Pamela", "Rosibel", "Sonia", "Tatiana", "Yessenia", "María", "Rosa", "Marta",
        "Sandra", "Blanca", "Lorena", "Patricia", "Carmen", "Xiomara", "Yessica", "Yadira", "Dilcia", "Doris",
        "Enma", "Esmeralda", "Evelin", "Flor", "Gabriela", "Geraldina", "Hilda", "Iveth", "Jackeline",
        "Juana", "Karen", "Lilian", "Lourdes", "Marina", "Marlen", "Mirian", "Nancy", "Nidia", "Norma",
        "Olga", "Reyna", "Rocío", "Rosario", "Ruth", "Sara", "Silvia", "Sindy", "Teresa", "Vilma",
        "Wendy Carolina", "Yanira", "Yeny", "Zulema", "Alba Luz", "Brenda", "Celina", "Delmy", "Elsy",
        "Fátima", "Gricelda", "Heidy Lorena", "Irma", "Johana", "Katherine", "Ligia", "Marleny", "Onelia",
        "Roxana", "Sonia Maribel",
    ],
    male: &[
        "Wilmer", "Nelson", "Denis", "Elvin", "Osman", "Josué", "Kevin", "Darwin", "Carlos", "Danilo",
        "Fredy", "German", "Hector", "Jose", "Luis", "Marvin", "Olvin", "Pedro", "Rony", "Santos", "Tomas",
        "Yovani", "Alex", "Bayron", "Juan", "Mario", "Roberto", "Francisco", "Manuel", "Miguel", "Óscar",
        "Víctor", "Julio", "Ramón", "Rafael", "Javier", "Jorge", "Edwin", "Elmer", "Erick", "Ever",
        "Franklin", "Geovany", "Hugo", "Iván", "Jairo", "Javier Antonio", "Jonathan", "Juan Carlos",
        "José Luis", "Kelvin", "Lenin", "Maynor", "Melvin", "Milton", "Noé", "Norman", "Orlin", "Osmin",
        "Rigoberto", "Rolando", "Rubén", "Samuel", "Selvin", "Walter", "Wilson", "Yeferson", "Abel", "Adán",
        "Arnold", "Byron", "Cristian", "David", "Douglas", "Eduardo", "Efraín", "Elder", "Fernando", "Gerson",
        "Henry", "Isaac", "Jeffry", "Leonel", "Marlon", "Nahúm", "Omar", "Ronald", "William",
    ],
    surnames: &[
        "Martínez", "Hernández", "López", "Rodríguez", "Mejía", "Flores", "Zelaya", "Reyes", "Castro",
        "Pineda", "Banegas", "Ayala", "Aguilar", "Alvarado", "Amaya", "Bonilla", "Cáceres", "Chávez", "Cruz",
        "Díaz", "Espinoza", "Fúnez", "García", "Gómez", "Gutiérrez", "Izaguirre", "Lagos", "Maradiaga",
        "Matute", "Medina", "Molina", "Núñez", "Ortiz", "Padilla", "Ramos", "Rivera", "Romero", "Sánchez",
        "Sierra", "Turcios", "Vásquez", "Velásquez", "González", "Pérez", "Ramírez", "Moreno", "Mendoza",
        "Sosa", "Ortega", "Paz", "Ávila", "Barahona", "Bustillo", "Canales", "Carías", "Castellanos",
        "Colindres", "Coello", "Cerrato", "Discua", "Domínguez", "Durón", "Elvir", "Escoto", "Euceda",
        "Ferrera", "Figueroa", "Galeas", "Gálvez", "Girón", "Guardado", "Guevara", "Hércules", "Irías",
        "Lanza", "Laínez", "Leiva", "Lobo", "Maldonado", "Midence", "Montoya", "Munguía", "Murillo",
        "Navarro", "Ordóñez", "Orellana", "Osorto", "Palma", "Paredes", "Portillo", "Posadas", "Quintanilla",
        "Raudales", "Rosa", "Rosales", "Salgado", "Salinas", "Sarmiento", "Serrano", "Soto", "Tróchez",
        "Urbina", "Valladares", "Varela", "Ventura", "Villalobos", "Alfaro", "Argueta", "Campos", "Carranza",
        "Chicas", "Cornejo", "Escobar", "Guillén", "Henríquez", "Jovel", "Landaverde", "Majano", "Menjívar",
        "Mancía", "Marroquín", "Orantes", "Recinos", "Rivas", "Segovia", "Tobar", "Umaña", "Vides",
    ],
    two_surnames: 1.0,
};

/// Names of tourists from North America and Europe.
#[rustfmt::skip]
pub const VISITOR: Community = Community {
    female: &[
        "Emily", "Sarah", "Jennifer", "Laura", "Anna", "Sophie", "Emma", "Julia", "Charlotte", "Hannah",
        "Chloé", "Giulia", "Alice", "Amanda", "Amy", "Ashley", "Camille", "Caroline", "Claire", "Elena",
        "Elise", "Eva", "Greta", "Helen", "Ingrid", "Isabelle", "Jessica", "Katherine", "Lea", "Lisa", "Lucy",
        "Maria", "Megan", "Nina", "Olivia", "Rachel", "Rebecca", "Sara", "Stephanie", "Susan", "Valentina",
        "Victoria", "Mary", "Patricia", "Linda", "Barbara", "Elizabeth", "Margaret", "Karen", "Nancy",
        "Betty", "Sandra", "Kimberly", "Donna", "Michelle", "Carol", "Dorothy", "Melissa", "Deborah",
        "Kathleen", "Angela", "Brenda", "Pamela", "Nicole", "Samantha", "Christine", "Catherine", "Debra",
        "Janet", "Heather", "Diane", "Julie", "Joyce", "Kelly", "Christina", "Joan", "Evelyn", "Lauren",
        "Judith", "Andrea", "Cheryl", "Martha", "Madison", "Teresa", "Abigail", "Sophia", "Kathryn", "Janice",
        "Gloria", "Jean", "Alexis", "Natalie", "Beverly", "Kayla", "Grace", "Denise", "Marilyn", "Amber",
        "Danielle", "Brittany", "Diana", "Madeline", "Jane", "Theresa", "Anne", "Sabine", "Ursula", "Monika",
        "Petra", "Birgit", "Katrin", "Ines", "Manon", "Juliette", "Margaux", "Francesca", "Chiara",
        "Federica", "Astrid", "Freya", "Sanne", "Femke", "Agnieszka", "Katarzyna", "Zuzana",
    ],
    male: &[
        "Michael", "David", "James", "Robert", "Thomas", "Lukas", "Daniel", "Matthew", "Jonas", "Pierre",
        "Marco", "Oliver", "Adam", "Alexander", "Andrew", "Benjamin", "Christian", "Ethan", "Felix", "Frank",
        "George", "Henry", "Jack", "Jakob", "John", "Lars", "Lucas", "Mark", "Nathan", "Noah", "Paul",
        "Peter", "Samuel", "William", "Richard", "Joseph", "Charles", "Christopher", "Anthony", "Donald",
        "Steven", "Joshua", "Kenneth", "Kevin", "Brian", "Timothy", "Ronald", "Jason", "Jeffrey", "Ryan",
        "Jacob", "Gary", "Eric", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Gregory", "Raymond",
        "Patrick", "Jerry", "Dennis", "Tyler", "Aaron", "Jose", "Douglas", "Zachary", "Kyle", "Walter",
        "Harold", "Jeremy", "Keith", "Roger", "Gerald", "Carl", "Terry", "Sean", "Austin", "Arthur", "Jesse",
        "Dylan", "Bryan", "Joe", "Jordan", "Billy", "Bruce", "Albert", "Willie", "Gabriel", "Logan", "Alan",
        "Juan", "Wayne", "Roy", "Ralph", "Randy", "Eugene", "Vincent", "Russell", "Elijah", "Louis", "Bobby",
        "Philip", "Johnny", "Stefan", "Jürgen", "Klaus", "Wolfgang", "Matthias", "Tobias", "Florian",
        "Julien", "Mathieu", "Antoine", "Nicolas", "Luca", "Giuseppe", "Alessandro", "Francesco", "Sven",
        "Erik", "Anders", "Bram", "Daan", "Pieter", "Tomasz", "Piotr", "Jan",
    ],
    surnames: &[
        "Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Müller", "Schmidt", "Dubois", "Rossi",
        "Jensen", "O'Brien", "Van der Berg", "MacLeod", "Novak", "Larsen", "Anderson", "Baker", "Becker",
        "Bernard", "Bianchi", "Clark", "Davies", "Evans", "Fischer", "Garcia", "Green", "Hansen", "Hoffmann",
        "Jones", "King", "Koch", "Lambert", "Lee", "Martin", "Meyer", "Moore", "Nielsen", "Olsen", "Parker",
        "Petit", "Richter", "Roberts", "Romano", "Schneider", "Wagner", "Weber", "White", "Williams",
        "Wright", "Ricci", "Fontaine", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez",
        "Thomas", "Jackson", "Perez", "Thompson", "Harris", "Sanchez", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "Hill", "Scott", "Torres", "Nguyen", "Adams", "Nelson", "Carter",
        "Mitchell", "Campbell", "Turner", "Phillips", "Edwards", "Collins", "Stewart", "Morris", "Murphy",
        "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward",
        "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "James", "Hughes", "Price",
        "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry", "Russell", "Sullivan",
        "Fisher", "Henderson", "Coleman", "Simmons", "Patterson", "Jordan", "Reynolds", "Hamilton", "Graham",
        "Wallace", "Cole", "West", "Stone", "Hayes", "Gibson", "Ellis", "Ford", "Marshall", "Owens",
        "McDonald", "Harrison", "Kennedy", "Wells", "Murray", "Freeman", "Webb", "Tucker", "Porter", "Hunter",
        "Hicks", "Crawford", "Boyd", "Mason", "Warren", "Dixon", "Burns", "Gordon", "Shaw", "Holmes", "Rice",
        "Robertson", "Hunt", "Black", "Palmer", "Mills", "Nichols", "Grant", "Knight", "Ferguson", "Stevens",
        "Lawrence", "Dunn", "Schulz", "Zimmermann", "Schäfer", "Krüger", "Hofmann", "Hartmann", "Lange",
        "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann",
        "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß",
        "Jung", "Hahn", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth",
        "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter",
        "Kraus", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel",
        "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Dietrich", "Ziegler", "Kuhn", "Pohl", "Engel",
        "Horn", "Busch", "Bergmann", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Durand", "Leroy",
        "Moreau", "Laurent", "Lefebvre", "Michel", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François",
        "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
        "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël",
        "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
        "Barbier", "Arnaud", "Gerard", "Roche", "Renard", "Roy", "Leroux", "Colin", "Vidal", "Caron",
        "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
        "Bourgeois", "Pierre", "Benoit", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume",
        "Lecomte", "Jean", "Dupuy", "Guillot", "Hubert", "Carpentier", "Dupuis", "Moulin", "Louis",
        "Deschamps", "Huet", "Vasseur", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Paris",
        "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard",
        "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Fernandez", "Le Gall", "Collet", "Léger",
        "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
        "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc",
        "Barré", "Lebrun", "Marchal", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud",
        "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin",
        "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine",
        "Hoarau", "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay",
        "Pasquier", "Carlier", "Laporte", "Esposito", "Russo", "Ferrari", "Colombo", "Bruno", "Gallo",
        "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti", "Barbieri",
        "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
        "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo",
        "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso",
        "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina",
        "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi",
        "Pellegrino", "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari",
        "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile",
        "Riva", "Donati", "Piras", "Vitali", "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano",
        "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Damico", "Negri", "De Jong", "Jansen", "De Vries",
        "Van den Berg", "Van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "De Boer", "Mulder",
        "De Groot", "Bos", "Vos", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer", "De Wit", "Dijkstra",
        "Smits", "De Graaf", "Van der Meer", "Kok", "Jacobs", "De Haan", "Vermeulen", "Van den Heuvel",
        "Van der Veen", "Van den Broek", "De Bruijn", "De Bruin", "Van der Heijden", "Schouten", "Van Beek",
        "Willems", "Van Vliet", "Hoekstra", "Maas", "Verhoeven", "Koster", "Van Dam", "Prins", "Blom",
        "Huisman", "Peeters", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Andersson", "Johansson", "Karlsson", "Nilsson",
        "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Christensen",
        "Pedersen", "Rasmussen", "Sørensen", "Johansen", "Kristiansen", "Berg", "Haugen", "Dahl",
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

impl Community {
    /// A given name for someone of this sex.
    pub fn given(&self, rng: &mut impl Rng, sex: Sex) -> &'static str {
        by_rank(rng, if sex == Sex::Female { self.female } else { self.male })
    }

    /// A surname.
    pub fn surname(&self, rng: &mut impl Rng) -> &'static str {
        by_rank(rng, self.surnames)
    }
}

/// One of `names`, the first the likeliest: the inverse of the continuous distribution whose
/// density falls as `1 / (rank + RANK_OFFSET)` over the list.
pub fn by_rank(rng: &mut impl Rng, names: &[&'static str]) -> &'static str {
    let n = names.len() as f64;
    let k = RANK_OFFSET;
    let rank = k * ((n + k) / k).powf(rng.gen_range(0.0..1.0)) - k;
    names.get((rank as usize).min(names.len().saturating_sub(1))).copied().unwrap_or_default()
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
